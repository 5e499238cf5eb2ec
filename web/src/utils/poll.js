// usePoll(fn, ms, enabled): calls fn every `ms` milliseconds while enabled()
// is true and the component is mounted; the next call is planned only after
// the previous one has finished, so slow answers never pile up.
import { onBeforeUnmount, watch } from 'vue'

export function usePoll(fn, ms, enabled = () => true) {
  let timer = null
  let stopped = false

  function plan() {
    clearTimeout(timer)
    timer = null
    if (stopped || !enabled()) return
    timer = setTimeout(async () => {
      timer = null
      if (stopped || !enabled()) return
      try {
        await fn()
      } catch {
        /* the next round tries again */
      }
      plan()
    }, ms)
  }

  watch(enabled, (on) => (on ? !timer && plan() : (clearTimeout(timer), (timer = null))))
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
  })
  return { start: plan }
}
