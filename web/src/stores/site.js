import { defineStore } from 'pinia'
import { api } from '../api.js'

// The alliance record (public), loaded once for headers and titles.
export const useSiteStore = defineStore('site', {
  state: () => ({ alliance: null, loading: false }),
  getters: {
    name: (s) => (s.alliance && s.alliance.name) || '',
    shortName: (s) => (s.alliance && (s.alliance.short_name || s.alliance.name)) || '',
  },
  actions: {
    async load(force = false) {
      if ((this.alliance && !force) || this.loading) return this.alliance
      this.loading = true
      try {
        this.alliance = await api.get('/alliance', undefined, { quiet: true })
      } catch {
        /* the header falls back to the product name */
      } finally {
        this.loading = false
      }
      return this.alliance
    },
  },
})
