import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import router from './router/index.js'
import { i18n } from './i18n/index.js'
import elementPlus from './plugins.element.js'
import { setUnauthorizedHandler } from './api.js'
import { useAuthStore } from './stores/auth.js'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
app.use(elementPlus)
app.use(router)

// A 401 from any call but the login: the session is gone.
setUnauthorizedHandler((err) => {
  const auth = useAuthStore(pinia)
  auth.clear()
  auth.expiredMessage = err.message
  const current = router.currentRoute.value
  if (current.name === 'login') return
  const redirect = current.fullPath.startsWith('/console') ? current.fullPath : undefined
  router.push({ name: 'login', query: { expired: '1', redirect } })
})

app.mount('#app')
