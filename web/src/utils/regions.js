// GB/T 2260 regions from GET /api/v1/regions, cached for the page's life.
import { api } from '../api.js'

let provincesP = null
const citiesP = new Map()

export function loadProvinces() {
  if (!provincesP) {
    provincesP = api
      .get('/regions', { level: 'province' }, { quiet: true })
      .then((d) => d.items)
      .catch((e) => {
        provincesP = null
        throw e
      })
  }
  return provincesP
}

export function loadCities(province) {
  if (!province) return Promise.resolve([])
  if (!citiesP.has(province)) {
    citiesP.set(
      province,
      api
        .get('/regions', { level: 'city', parent: province }, { quiet: true })
        .then((d) => d.items)
        .catch((e) => {
          citiesP.delete(province)
          throw e
        }),
    )
  }
  return citiesP.get(province)
}

/** The province code of a city code (GB/T 2260: first two digits + 0000). */
export function provinceOf(city) {
  return city && city.length === 6 ? city.slice(0, 2) + '0000' : ''
}

let allCitiesP = null

/** Every prefecture-level city (GET /regions?level=city), cached. */
export function loadAllCities() {
  if (!allCitiesP) {
    allCitiesP = api
      .get('/regions', { level: 'city' }, { quiet: true })
      .then((d) => d.items)
      .catch((e) => {
        allCitiesP = null
        throw e
      })
  }
  return allCitiesP
}
