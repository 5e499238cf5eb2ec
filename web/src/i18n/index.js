import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'
import en from './en.js'

export const LOCALES = ['zh-CN', 'en']
const KEY = 'jilian.lang'

function initialLocale() {
  try {
    const saved = localStorage.getItem(KEY)
    if (LOCALES.includes(saved)) return saved
  } catch {
    /* storage unavailable */
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
})

export function currentLocale() {
  return i18n.global.locale.value
}

export function setLocale(locale) {
  if (!LOCALES.includes(locale)) return
  i18n.global.locale.value = locale
  try {
    localStorage.setItem(KEY, locale)
  } catch {
    /* storage unavailable */
  }
  document.documentElement.lang = locale
}

export const t = (...args) => i18n.global.t(...args)
export const te = (key) => i18n.global.te(key)

document.documentElement.lang = initialLocale()
