// Search (docs/search.md): the record types, their tag colours, and where a
// result leads in the console. Highlights come from the API as pieces
// [{text, hit}] and are rendered by components/HlText.vue (never as HTML).
import { api } from '../api.js'

export const SEARCH_TYPES = ['alliance', 'unit', 'person', 'position', 'meeting', 'resolution', 'charter', 'article']

/** The longest query the API accepts (q is 1–64 characters). */
export const SEARCH_MAX = 64

const TYPE_TAGS = {
  alliance: 'danger',
  unit: 'primary',
  person: 'success',
  position: 'warning',
  meeting: 'info',
  resolution: 'info',
  charter: 'danger',
  article: '',
}

/** Element Plus tag type of a search result type (tones() for StatusTag). */
export function searchTag(group, value) {
  const v = TYPE_TAGS[value]
  return v === undefined ? 'info' : v
}

/**
 * The route a result (or a suggestion) opens: {type, id, title}. The charter
 * pages need governance.read; without it the version in force is on the
 * public portal. A person has no page of its own: the people list, filtered
 * by the name.
 */
export function searchLink(item, auth) {
  const id = item && item.id
  switch (item && item.type) {
    case 'alliance':
      return '/console/'
    case 'unit':
      return `/console/units/${id}`
    case 'person':
      return { path: '/console/people', query: { q: item.title || '' } }
    case 'position':
      return `/console/placement/positions/${id}`
    case 'meeting':
      return `/console/governance/meetings/${id}`
    case 'resolution':
      return `/console/governance/resolutions/${id}`
    case 'charter':
      if (auth && !auth.can('governance.read')) return '/charter'
      return id ? `/console/governance/charter/${id}` : '/console/governance/charter'
    case 'article':
      return `/console/news/${id}`
    default:
      return '/console/'
  }
}

/** The text a query box holds, as the API takes it (trimmed, at most 64). */
export function cleanQuery(q) {
  return String(q || '').trim().slice(0, SEARCH_MAX)
}

/** GET /search/suggest: up to 8 {type, id, title} (quiet: errors are thrown, not shown). */
export async function fetchSuggestions(q) {
  const d = await api.get('/search/suggest', { q }, { quiet: true })
  return d && Array.isArray(d.items) ? d.items.slice(0, 8) : []
}

/** Pieces [{text, hit}] as plain text. */
export function piecesText(pieces) {
  return Array.isArray(pieces) ? pieces.map((p) => (p && p.text) || '').join('') : ''
}
