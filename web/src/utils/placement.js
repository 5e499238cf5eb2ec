// Placement (校企合作, docs/placement.md): enum lists, tag colours, and small
// helpers for positions, students, rounds and employment outcomes.
import { t } from '../i18n/index.js'

export const POSITION_KINDS = ['internship', 'job', 'order_class']
export const POSITION_STATUSES = ['draft', 'submitted', 'published', 'returned', 'closed']
export const APPLICATION_STATUSES = ['applied', 'accepted', 'declined', 'withdrawn']
export const ROUND_STATUSES = ['draft', 'open', 'ranking', 'matched', 'published', 'closed']
export const RESULT_STATUSES = ['offered', 'accepted', 'declined', 'expired', 'unplaced']
export const OUTCOME_STATUSES = ['employed', 'employed_in_field', 'further_study', 'seeking']
export const SALARY_BANDS = ['lt3k', '3k_5k', '5k_8k', '8k_12k', 'ge12k']
export const RULES = ['manual', 'score']
/** 0: none (不限); 1 一级/高级技师 … 5 五级/初级工 (GLOSSARY). */
export const LEVELS = [0, 1, 2, 3, 4, 5]
export const FAIRNESS_BY = ['school', 'city', 'major']
export const STATS_BY = ['school', 'major', 'city', 'year']
/** Default weights of a score rule (whole numbers 0–100). */
export const DEFAULT_WEIGHTS = { w_level: 10, w_awards: 2, w_school: 1, w_interview: 1 }
export const WEIGHTS = ['w_level', 'w_awards', 'w_school', 'w_interview']

const TAGS = {
  'position.draft': 'info',
  'position.submitted': 'warning',
  'position.published': 'success',
  'position.returned': 'danger',
  'position.closed': '',
  'kind.internship': 'primary',
  'kind.job': 'success',
  'kind.order_class': 'warning',
  'application.applied': 'warning',
  'application.accepted': 'success',
  'application.declined': 'danger',
  'application.withdrawn': 'info',
  'round.draft': 'info',
  'round.open': 'success',
  'round.ranking': 'warning',
  'round.matched': 'primary',
  'round.published': 'success',
  'round.closed': '',
  'result.offered': 'warning',
  'result.accepted': 'success',
  'result.declined': 'info',
  'result.expired': 'info',
  'result.unplaced': 'danger',
  'outcome.employed': 'primary',
  'outcome.employed_in_field': 'success',
  'outcome.further_study': 'warning',
  'outcome.seeking': 'danger',
  'rule.manual': 'warning',
  'rule.score': 'primary',
}

/** Element Plus tag type of a placement enum, by its group. */
export function plTag(group, value) {
  const v = TAGS[`${group}.${value}`]
  return v === undefined ? 'info' : v
}

/** 0 -> 不限, 3 -> 三级/高级工. */
export function levelLabel(level) {
  const n = Number(level) || 0
  return n >= 1 && n <= 5 ? t(`placement.level.${n}`) : t('placement.level.0')
}

/** A student's own level (0 or missing: 无). */
export function studentLevelLabel(level) {
  const n = Number(level) || 0
  return n >= 1 && n <= 5 ? t(`placement.level.${n}`) : t('placement.level.none')
}

/** A rate 0–1 as "85.3%", or — when undefined. */
export function pct(rate, digits = 1) {
  if (rate === null || rate === undefined || Number.isNaN(Number(rate))) return t('common.none')
  return `${(Number(rate) * 100).toFixed(digits)}%`
}

/** A rate 0–1 as a number of percent for charts (null stays null). */
export function pctValue(rate) {
  if (rate === null || rate === undefined) return null
  return Math.round(Number(rate) * 1000) / 10
}

/** 3000–5000 元/月, 3000 元/月 起, 面议. */
export function payRange(min, max) {
  const a = Number(min) || 0
  const b = Number(max) || 0
  if (!a && !b) return t('placement.pay.negotiable')
  if (a && b) return a === b ? t('placement.pay.exact', { n: a }) : t('placement.pay.range', { min: a, max: b })
  if (a) return t('placement.pay.from', { n: a })
  return t('placement.pay.upTo', { n: b })
}

export function periodText(from, to) {
  if (!from && !to) return t('common.none')
  return `${from || '…'} ~ ${to || '…'}`
}

/**
 * Which of a position's requirements a student profile meets:
 * {major, level, certificate} each true/false, or null when the position
 * asks nothing of that kind.
 */
export function requirementChecks(position, student) {
  if (!position) return { major: null, level: null, certificate: null }
  const majors = position.majors || []
  const min = Number(position.min_level) || 0
  const cert = (position.certificate || '').trim()
  const s = student || {}
  const lvl = Number(s.skill_level) || 0
  return {
    major: majors.length ? majors.includes(s.major) : null,
    level: min ? lvl >= 1 && lvl <= min : null,
    certificate: cert ? (s.certificates || []).some((c) => c === cert || c.includes(cert) || cert.includes(c)) : null,
  }
}

/** Every requirement met (or none asked). */
export function meetsAll(checks) {
  return Object.values(checks).every((v) => v !== false)
}

/** Milliseconds left -> "2 天 3 小时" / "3 小时 12 分" / "12 分 5 秒"; ended: null. */
export function remainingText(ms) {
  if (!(ms > 0)) return null
  const s = Math.floor(ms / 1000)
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (d > 0) return t('placement.countdown.dh', { d, h })
  if (h > 0) return t('placement.countdown.hm', { h, m })
  return t('placement.countdown.ms', { m, s: sec })
}

/**
 * Field errors of a list in the body, by item: {"positions.3": msg} ->
 * {3: msg}. The index is the item's place in the list sent (from 0).
 */
export function itemErrors(fields, name) {
  const out = {}
  if (!fields) return out
  const re = new RegExp(`^${name}\\.(\\d+)$`)
  for (const [k, v] of Object.entries(fields)) {
    const m = re.exec(k)
    if (m) out[Number(m[1])] = v
  }
  return out
}

/** Messages of a field error that are not about one item of `name`. */
export function otherErrors(fields, name) {
  if (!fields) return []
  return Object.entries(fields)
    .filter(([k]) => !k.startsWith(`${name}.`))
    .map(([, v]) => String(v))
}

/** Weights in words: 等级 10 · 获奖 1 · 在校 0.5 · 面试 0.5. */
export function weightsText(p) {
  return WEIGHTS.map((w) => `${t(`placement.round.weights.${w}`)} ${Number(p[w]) || 0}`).join(' · ')
}

/** Moves the item at `from` to `to` in a copy of the list. */
export function moved(list, from, to) {
  const copy = [...list]
  if (from < 0 || from >= copy.length || to < 0 || to >= copy.length || from === to) return copy
  const [x] = copy.splice(from, 1)
  copy.splice(to, 0, x)
  return copy
}

/** Splits "a;b；c" (CSV lists) into trimmed parts. */
export function splitList(text) {
  return String(text || '')
    .split(/[;；,，]/)
    .map((s) => s.trim())
    .filter(Boolean)
}
