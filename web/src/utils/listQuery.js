// Keeps a list page's filters, sort and paging in the URL query, so that
// deep links and the back button work.
import { computed, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'

export function useListQuery(defaults = {}) {
  const route = useRoute()
  const router = useRouter()
  const name = route.name
  /** False once the route has left this page (watchers should do nothing). */
  const active = () => route.name === name
  const query = computed(() => ({ ...defaults, ...route.query }))
  const page = computed(() => Math.max(1, parseInt(query.value.page, 10) || 1))
  const pageSize = computed(() => {
    const n = parseInt(query.value.page_size, 10) || 20
    return Math.min(100, Math.max(1, n))
  })

  function update(patch, { keepPage = false } = {}) {
    const next = { ...route.query, ...patch }
    if (!keepPage && !('page' in patch)) delete next.page
    for (const k of Object.keys(next)) {
      if (next[k] === '' || next[k] === null || next[k] === undefined) delete next[k]
      else next[k] = String(next[k])
    }
    if (next.page === '1') delete next.page
    router.replace({ query: next })
  }

  /** The current query as API parameters (no empty values). */
  function params(keys) {
    const out = { page: page.value, page_size: pageSize.value }
    for (const k of keys) {
      const v = query.value[k]
      if (v !== undefined && v !== null && v !== '') out[k] = v
    }
    return out
  }

  /** Copies the URL's values of keys into the filter form f and calls
   *  load(), now and whenever the URL changes while the page is shown. */
  function syncFilters(f, keys, load) {
    watch(
      query,
      () => {
        if (!active()) return
        for (const k of keys) f[k] = query.value[k] || ''
        load()
      },
      { immediate: true },
    )
  }

  return { query, page, pageSize, update, params, active, syncFilters }
}
