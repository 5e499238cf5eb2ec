import { api } from '../api.js'

let statsP = null
/** GET /api/v1/units/stats, once per page load (public counts). */
export function loadStats(force = false) {
  if (!statsP || force) {
    statsP = api.get('/units/stats', undefined, { quiet: true }).catch((e) => {
      statsP = null
      throw e
    })
  }
  return statsP
}
