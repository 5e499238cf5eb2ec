// News (信息发布, docs/news.md): enum lists, tag colours, and small helpers
// for the API's answers (file URLs, upload, scheduled times).
import { onBeforeUnmount, watch } from 'vue'
import { request } from '../api.js'
import { t } from '../i18n/index.js'

export const ARTICLE_KINDS = ['news', 'notice', 'policy']
export const ARTICLE_STATUSES = ['draft', 'submitted', 'returned', 'published', 'withdrawn']
export const AUDIENCES = ['public', 'members', 'units', 'roles']
/** Roles an article may be addressed to (audience "roles"). */
export const AUDIENCE_ROLES = ['unit_admin', 'teacher', 'student', 'enterprise_hr', 'expert']
/** Upload limit of POST /articles/{id}/files. */
export const MAX_UPLOAD = 4 * 1024 * 1024
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp']
export const IMPORT_EXTENSIONS = ['.txt', '.md', '.html', '.htm']

const STATUS_TAGS = {
  draft: 'info',
  submitted: 'warning',
  returned: 'danger',
  published: 'success',
  withdrawn: 'info',
}
const KIND_TAGS = { news: 'primary', notice: 'warning', policy: 'success' }

export function statusTag(status) {
  return STATUS_TAGS[status] || 'info'
}

export function kindTag(kind) {
  return KIND_TAGS[kind] || 'info'
}

/** An article's status may still be changed by its writers. */
export function isEditableByWriter(status) {
  return status === 'draft' || status === 'returned'
}

/** "/api/v1/articles/3/files/9" -> "/api/v1/articles/3/files/9?thumb=1". */
export function thumbUrl(url) {
  if (!url) return ''
  return url + (url.includes('?') ? '&' : '?') + 'thumb=1'
}

/** The file id at the end of a file URL (the cover has no id of its own in the article). */
export function fileIdOf(url) {
  const m = /\/files\/(\d+)(?:[?#]|$)/.exec(url || '')
  return m ? Number(m[1]) : 0
}

export function fileSize(n) {
  if (!Number.isFinite(n)) return ''
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** Uploads one file to an article: role is cover, image or attachment. */
export function uploadArticleFile(id, file, role) {
  return request('POST', `/articles/${id}/files`, {
    query: { name: file.name, role },
    raw: file,
    contentType: 'application/octet-stream',
    quiet: true,
  })
}

/** "YYYY-MM-DD HH:mm" (local) -> Unix ms, or 0. */
export function localToMs(text) {
  if (!text) return 0
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(text)
  if (!m) return 0
  return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]).getTime()
}

/** Warnings of an import report: the server may answer a list or one text. */
export function warningsOf(report) {
  const w = report && report.warnings
  if (!w) return []
  if (Array.isArray(w)) return w.filter(Boolean).map(String)
  return String(w)
    .split(/\n|；|;\s/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** The Atom feed of a kind, for links and <link rel="alternate">. */
export function feedUrl(kind) {
  return `/api/v1/feeds/${ARTICLE_KINDS.includes(kind) ? kind : 'news'}`
}

/**
 * <link rel="alternate" type="application/atom+xml"> in the document head for
 * the given kinds while the calling page is shown (index.html stays as is).
 * kinds: a function returning a list of kinds.
 */
export function useFeedLinks(kinds, titleOf) {
  const added = []
  const clear = () => {
    while (added.length) added.pop().remove()
  }
  const apply = () => {
    clear()
    for (const k of kinds() || []) {
      const link = document.createElement('link')
      link.rel = 'alternate'
      link.type = 'application/atom+xml'
      link.href = feedUrl(k)
      link.title = titleOf ? titleOf(k) : k
      document.head.appendChild(link)
      added.push(link)
    }
  }
  watch(() => (kinds() || []).join(',') + '|' + (titleOf ? (kinds() || []).map(titleOf).join(',') : ''), apply, { immediate: true })
  onBeforeUnmount(clear)
}

/**
 * The attachments of an article: its files (GET /articles/{id} lists them
 * all) without the cover and the images its body shows.
 */
export function attachmentsOf(article) {
  if (!article) return []
  const cover = article.cover_file_id || fileIdOf(article.cover_url)
  const body = article.body || ''
  return (article.attachments || []).filter((f) => {
    if (f.role) return f.role === 'attachment'
    if (cover && f.id === cover) return false
    return !(f.url && body.includes(f.url))
  })
}

/** An upload's or import's error in words: the field messages (file, name) when given. */
export function errorText(e) {
  if (e && e.fields) {
    const list = Object.values(e.fields).filter(Boolean).map(String)
    if (list.length) return list.join('；')
  }
  return (e && e.message) || ''
}

/** Who published an article: its unit, or the secretariat (no unit; named in the UI's language). */
export function authorName(a) {
  return a && a.author_unit_id ? a.author_unit_name || `#${a.author_unit_id}` : t('news.secretariat')
}
