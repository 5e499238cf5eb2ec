import { defineStore } from 'pinia'
import { api, request, setCsrfToken } from '../api.js'

export const useAuthStore = defineStore('auth', {
  state: () => ({
    user: null,
    permissions: [],
    loaded: false,
    expiredMessage: '',
  }),
  getters: {
    signedIn: (s) => s.user !== null,
    role: (s) => (s.user ? s.user.role : ''),
    isAllianceAdmin: (s) => !!s.user && s.user.role === 'alliance_admin',
    unitId: (s) => (s.user ? s.user.unit_id : null),
  },
  actions: {
    can(perm) {
      return this.permissions.includes(perm)
    },
    canAny(perms) {
      return perms.some((p) => this.permissions.includes(p))
    },
    apply(me) {
      this.user = me.user
      this.permissions = me.permissions || []
      setCsrfToken(me.csrf_token)
      this.loaded = true
      this.expiredMessage = ''
    },
    async fetchMe() {
      try {
        this.apply(await api.get('/me', undefined, { quiet: true, noRedirect: true }))
        return true
      } catch (e) {
        if (e.status === 401) {
          this.clear()
          return false
        }
        throw e
      }
    },
    /** Loads the session once, when the console is first entered: the quiet
     *  GET /session probe answers 200 either way, so no 401 is logged. */
    async ensure() {
      if (this.loaded) return this.signedIn
      const probe = await api.get('/session', undefined, { quiet: true, noRedirect: true })
      if (!probe || !probe.signed_in) {
        this.clear()
        return false
      }
      return this.fetchMe()
    },
    async login(username, password) {
      const data = await request('POST', '/session', {
        body: { username, password },
        login: true,
        quiet: true,
      })
      setCsrfToken(data.csrf_token)
      this.user = data.user
      await this.fetchMe()
    },
    async logout() {
      try {
        await api.del('/session', { quiet: true, noRedirect: true })
      } catch {
        /* already gone */
      }
      this.clear()
    },
    clear() {
      this.user = null
      this.permissions = []
      this.loaded = true
      setCsrfToken('')
    },
  },
})
