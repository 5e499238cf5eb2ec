// The one API client: fetch, JSON in and out, same-origin cookies, the CSRF
// token on every write, Accept-Language from the chosen locale, and the
// error envelope {"error": {code, message, fields, request_id}} turned into
// an ApiError. The CSRF token lives in this module's memory only.
import { ElMessage } from 'element-plus'
import { currentLocale, t } from './i18n/index.js'

const BASE = '/api/v1'
let csrfToken = ''
let unauthorizedHandler = null

export function setCsrfToken(token) {
  csrfToken = token || ''
}

export function hasCsrfToken() {
  return csrfToken !== ''
}

/** Called with the ApiError on a 401 (except the login itself). */
export function setUnauthorizedHandler(fn) {
  unauthorizedHandler = fn
}

export class ApiError extends Error {
  constructor(status, envelope, response) {
    const e = (envelope && envelope.error) || {}
    super(e.message || (status ? t('common.unknownError', { status }) : t('common.networkError')))
    this.name = 'ApiError'
    this.status = status
    this.code = e.code || (status ? 'http_' + status : 'network')
    this.fields = e.fields || null
    this.requestId = e.request_id || (response && response.headers.get('x-request-id')) || ''
    this.report = e.report || null
    const ra = response && response.headers.get('retry-after')
    this.retryAfter = ra ? parseInt(ra, 10) || 0 : 0
    this.handled = false
  }
}

/** Query object -> "?a=1&b=2", leaving out empty values. */
export function queryString(query) {
  if (!query) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    p.append(k, String(v))
  }
  const s = p.toString()
  return s ? '?' + s : ''
}

export function apiUrl(path, query) {
  return BASE + path + queryString(query)
}

export function acceptLanguage() {
  return currentLocale() === 'en' ? 'en' : 'zh-CN'
}

/**
 * request(method, path, options)
 *   query        object for the query string
 *   body         JSON body
 *   raw          raw body (string, Blob, ArrayBuffer) sent with contentType
 *   contentType  for raw
 *   quiet        do not show an ElMessage on error
 *   login        this is the login call: a 401 is a wrong password, not an expiry
 *   noRedirect   a 401 does not route to the login page (the session probe)
 */
export async function request(method, path, options = {}) {
  const headers = {
    Accept: 'application/json',
    'Accept-Language': acceptLanguage(),
  }
  let body
  if (options.raw !== undefined) {
    body = options.raw
    headers['Content-Type'] = options.contentType || 'application/octet-stream'
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['Content-Type'] = 'application/json'
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let res
  try {
    res = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
    })
  } catch {
    const err = new ApiError(0, null, null)
    if (!options.quiet) ElMessage.error(err.message)
    throw err
  }
  let data = null
  const type = res.headers.get('content-type') || ''
  if (res.status !== 204 && type.includes('json')) {
    try {
      data = await res.json()
    } catch {
      data = null
    }
  }
  if (res.ok) return data
  const err = new ApiError(res.status, data, res)
  if (res.status === 401 && !options.login && !options.noRedirect) {
    err.handled = true
    if (unauthorizedHandler) unauthorizedHandler(err)
    throw err
  }
  if (!options.quiet) showError(err)
  throw err
}

export function showError(err) {
  if (!err || err.handled) return
  err.handled = true
  ElMessage({ type: 'error', message: err.message, grouping: true, showClose: true })
}

export const api = {
  get: (path, query, options = {}) => request('GET', path, { ...options, query }),
  post: (path, body, options = {}) => request('POST', path, { ...options, body }),
  put: (path, body, options = {}) => request('PUT', path, { ...options, body }),
  patch: (path, body, options = {}) => request('PATCH', path, { ...options, body }),
  del: (path, options = {}) => request('DELETE', path, options),
}

export default api
