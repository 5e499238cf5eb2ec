// A list page's rows and state, loaded by fetch() (an API call answering
// {items, total}). An answer to an earlier load that arrives after a later
// one is dropped; a missing route shows as "unavailable" instead of an error.
import { ref } from 'vue'
import { showError } from '../api.js'
import { isNotFound, itemsOf, totalOf } from './governance.js'

export function useListLoader(fetch) {
  const rows = ref([])
  const total = ref(0)
  const loading = ref(false)
  const unavailable = ref(false)
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const d = await fetch()
      if (mine !== seq) return
      rows.value = itemsOf(d)
      total.value = totalOf(d)
      unavailable.value = false
    } catch (e) {
      if (mine !== seq) return
      rows.value = []
      total.value = 0
      unavailable.value = isNotFound(e)
      if (!unavailable.value) showError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  return { rows, total, loading, unavailable, load }
}
