import { defineStore } from 'pinia'
import { api, request, setCsrfToken } from '../api.js'

// A hint (not a secret) that this browser signed in: without it the console
// does not probe GET /me and goes straight to the login page.
const HINT = 'jilian.signedIn'
function hint(on) {
  try {
    if (on) localStorage.setItem(HINT, '1')
    else localStorage.removeItem(HINT)
  } catch {
    /* storage unavailable */
  }
}
function hasHint() {
  try {
    return localStorage.getItem(HINT) === '1'
  } catch {
    return true
  }
}

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
      hint(true)
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
    /** Loads the session once, when the console is first entered. */
    async ensure() {
      if (this.loaded) return this.signedIn
      if (!hasHint()) {
        this.loaded = true
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
      hint(true)
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
      hint(false)
    },
  },
})
