// Shared loads of the placement pages: published positions by id (their
// requirements, which round position lists do not carry) and the progress
// of a long job (GET /jobs/{id}).
import { onBeforeUnmount, ref } from 'vue'
import { api } from '../../../api.js'
import { itemsOf, totalOf } from '../../../utils/governance.js'

/** Published positions (up to 500) as {id: position}; {} when refused. */
export async function loadPublishedPositions(query = {}) {
  const out = {}
  try {
    for (let page = 1; page <= 5; page++) {
      const d = await api.get('/positions', { ...query, page, page_size: 100 }, { quiet: true })
      const items = itemsOf(d)
      for (const p of items) out[p.id] = p
      if (!items.length || page * 100 >= totalOf(d)) break
    }
  } catch {
    /* requirements stay unknown */
  }
  return out
}

/**
 * A job's state, polled every `ms` until it is done or failed:
 * job = {id, state, done, total, result, message}; start(id) begins,
 * the returned promise ends with the last state.
 */
export function useJob(ms = 400) {
  const job = ref(null)
  let timer = null
  let stopped = false
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
  })

  function start(id) {
    clearTimeout(timer)
    job.value = { id, state: 'queued', done: 0, total: 0 }
    return new Promise((resolve) => {
      const tick = async () => {
        if (stopped) return resolve(job.value)
        try {
          job.value = { id, ...(await api.get(`/jobs/${id}`, undefined, { quiet: true })) }
        } catch {
          /* try again */
        }
        if (job.value.state === 'done' || job.value.state === 'failed') resolve(job.value)
        else timer = setTimeout(tick, ms)
      }
      timer = setTimeout(tick, 150)
    })
  }

  return { job, start }
}

/** Percent of a job for el-progress. */
export function jobPercent(job) {
  if (!job) return 0
  if (job.state === 'done') return 100
  const done = Number(job.done) || 0
  const total = Number(job.total) || 0
  return total > 0 ? Math.min(99, Math.round((done * 100) / total)) : job.state === 'running' ? 5 : 0
}
