// Governance (联盟治理): enum lists, labels that depend on the body or the
// locale (positions, term ordinals), and small helpers for the API's answers.
import { currentLocale, t, te } from '../i18n/index.js'

export const BODIES = ['council', 'expert_committee']
/** Positions of each body, in rank order (GET /terms/{id} orders them so). */
export const POSITIONS = {
  council: ['chair', 'vice_chair', 'secretary_general', 'director'],
  expert_committee: ['chair', 'vice_chair', 'member'],
}
export const CHARTER_STATUSES = ['draft', 'adopted', 'superseded']
export const MEETING_KINDS = ['preparatory', 'general_assembly', 'council', 'chair_office']
export const MEETING_STATUSES = ['planned', 'open', 'closed']
export const MOTION_KINDS = ['ordinary', 'charter', 'election']
export const MOTION_STATUSES = ['draft', 'open', 'closed', 'certified']
export const BALLOTS = ['open', 'secret']
export const CHOICES = ['yes', 'no', 'abstain']
export const INVITE_SCOPES = ['members', 'council', 'expert_committee']
export const TASK_STATUSES = ['planned', 'in_progress', 'done', 'cancelled']
export const RULE_CODES = ['ordinary', 'charter', 'election']

const GOV_TAGS = {
  'charter.draft': 'warning',
  'charter.adopted': 'success',
  'charter.superseded': 'info',
  'meeting.planned': 'info',
  'meeting.open': 'success',
  'meeting.closed': '',
  'motion.draft': 'info',
  'motion.open': 'success',
  'motion.closed': 'warning',
  'motion.certified': '',
  'task.planned': 'info',
  'task.in_progress': 'primary',
  'task.done': 'success',
  'task.cancelled': 'info',
  'kind.preparatory': 'info',
  'kind.general_assembly': 'danger',
  'kind.council': 'primary',
  'kind.chair_office': 'warning',
}

/** Element Plus tag type of a governance enum, by its group. */
export function govTag(group, value) {
  const v = GOV_TAGS[`${group}.${value}`]
  return v === undefined ? 'info' : v
}

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九']

/** 1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (0 < n < 10000). */
export function chineseNumber(n) {
  n = Math.floor(Number(n))
  if (!Number.isFinite(n) || n < 0) return String(n)
  if (n < 10) return CN_DIGITS[n]
  if (n < 20) return '十' + (n % 10 ? CN_DIGITS[n % 10] : '')
  if (n < 100) return CN_DIGITS[Math.floor(n / 10)] + '十' + (n % 10 ? CN_DIGITS[n % 10] : '')
  if (n < 1000) {
    const rest = n % 100
    const head = CN_DIGITS[Math.floor(n / 100)] + '百'
    if (!rest) return head
    return head + (rest < 10 ? '零' + CN_DIGITS[rest] : rest < 20 ? '一' + chineseNumber(rest) : chineseNumber(rest))
  }
  if (n < 10000) {
    const rest = n % 1000
    const head = CN_DIGITS[Math.floor(n / 1000)] + '千'
    if (!rest) return head
    return head + (rest < 100 ? '零' : '') + (rest >= 10 && rest < 20 ? '一' : '') + chineseNumber(rest)
  }
  return String(n)
}

/** 1 -> 1st, 2 -> 2nd, 11 -> 11th, 23 -> 23rd. */
export function englishOrdinal(n) {
  const k = n % 100
  if (k >= 11 && k <= 13) return `${n}th`
  return n + ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] || 'th')
}

/** 第一届 / 1st term. */
export function termOrdinal(number) {
  if (!number) return t('common.none')
  return currentLocale() === 'en' ? `${englishOrdinal(number)} term` : `第${chineseNumber(number)}届`
}

/** 第一届理事会 / Council, 1st term. */
export function termName(body, number) {
  const b = bodyLabel(body)
  return currentLocale() === 'en' ? `${b}, ${termOrdinal(number)}` : `${termOrdinal(number)}${b}`
}

export function bodyLabel(body) {
  return te(`gov.body.${body}`) ? t(`gov.body.${body}`) : body || t('common.none')
}

/** chair is 理事长 on the council and 主任委员 on the expert committee. */
export function positionLabel(body, position) {
  const key = `gov.position.${body || 'council'}.${position}`
  if (te(key)) return t(key)
  for (const b of BODIES) if (te(`gov.position.${b}.${position}`)) return t(`gov.position.${b}.${position}`)
  return position || t('common.none')
}

/** A list answer: {items, total} or a bare array. */
export function itemsOf(d) {
  if (Array.isArray(d)) return d
  if (d && Array.isArray(d.items)) return d.items
  return []
}

export function totalOf(d) {
  if (d && typeof d.total === 'number') return d.total
  return itemsOf(d).length
}

/** Unix milliseconds (or an ISO string) -> "YYYY-MM-DD HH:mm". */
export function fmtMs(v, { date = false } = {}) {
  if (v === undefined || v === null || v === '' || v === 0) return t('common.none')
  const d = new Date(typeof v === 'number' ? v : String(v))
  if (Number.isNaN(d.getTime())) return String(v)
  const p = (n) => String(n).padStart(2, '0')
  const day = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
  return date ? day : `${day} ${p(d.getHours())}:${p(d.getMinutes())}`
}

export function today() {
  return fmtMs(Date.now(), { date: true })
}

/** The candidate of an election item as shown: 张三（某某学院）, or the unit. */
export function itemName(item) {
  if (!item) return t('common.none')
  const person = item.person_name || item.holder_name || ''
  const unit = item.unit_name || ''
  if (person && unit) return t('gov.withNote', { main: person, note: unit })
  return person || unit || (item.id ? `#${item.id}` : t('common.none'))
}

/** Certified results as rows: the API may answer one object or a list per item. */
export function resultRows(results) {
  if (!results) return []
  if (Array.isArray(results)) return results
  if (Array.isArray(results.items)) return results.items
  return [results]
}

/** Whole-motion or per-item tally -> rows [{item_id, yes, no, abstain}]. */
export function tallyRows(tally) {
  if (!tally) return []
  if (Array.isArray(tally)) return tally
  if (Array.isArray(tally.items)) return tally.items
  return [tally]
}

/** A 404 from a route the server does not know yet, or a missing record. */
export function isNotFound(e) {
  return !!e && e.status === 404
}

/**
 * The server's rule text ("> 1/2 present", ">= 2/3 members") in words:
 * 超过实到的 1/2 / more than 1/2 of those present. Unknown text is kept.
 */
export function ruleWords(text) {
  const m = /^\s*(>=|>)\s*(\d+)\/(\d+)\s+(members|present|cast|decisive)\s*$/.exec(text || '')
  if (!m) return text || ''
  return t(m[1] === '>' ? 'gov.ruleText.more' : 'gov.ruleText.atLeast', { frac: `${m[2]}/${m[3]}`, base: t(`gov.ruleText.base.${m[4]}`) })
}

/**
 * One body of GET /bodies as {term, appointments}, or null. The contract
 * says {term, appointments}; the server may also answer the term itself
 * with its appointments inside. Both are read.
 */
export function currentBody(d, body) {
  const v = d && d[body]
  if (!v) return null
  if (v.term) return { term: v.term, appointments: v.appointments || v.term.appointments || [] }
  if (v.id) return { term: v, appointments: v.appointments || [] }
  return null
}
