import { ref, onMounted, onBeforeUnmount } from 'vue'

/** A ref that is true while the media query matches (e.g. phone width). */
export function useMedia(query) {
  const matches = ref(typeof window !== 'undefined' && window.matchMedia(query).matches)
  let mql = null
  const update = (e) => (matches.value = e.matches)
  onMounted(() => {
    mql = window.matchMedia(query)
    matches.value = mql.matches
    mql.addEventListener('change', update)
  })
  onBeforeUnmount(() => mql && mql.removeEventListener('change', update))
  return matches
}

export const PHONE = '(max-width: 768px)'
