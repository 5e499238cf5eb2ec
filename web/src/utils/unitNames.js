// Names of member units by id, for tables that only carry unit_id.
import { reactive } from 'vue'
import { api } from '../api.js'

export const unitNames = reactive({})
const pending = new Map()

export function rememberUnit(u) {
  if (u && u.id) unitNames[u.id] = u.name
}

export function loadUnitName(id) {
  if (!id || unitNames[id] !== undefined) return Promise.resolve(unitNames[id])
  if (!pending.has(id)) {
    pending.set(
      id,
      api
        .get(`/units/${id}`, undefined, { quiet: true })
        .then((u) => (unitNames[id] = u.name))
        .catch(() => (unitNames[id] = `#${id}`))
        .finally(() => pending.delete(id)),
    )
  }
  return pending.get(id)
}
