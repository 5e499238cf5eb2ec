import { t, te } from '../i18n/index.js'

const pad = (n) => String(n).padStart(2, '0')

/** ISO 8601 time -> local "YYYY-MM-DD HH:mm:ss". */
export function fmtDateTime(iso) {
  if (!iso) return t('common.none')
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  )
}

export function fmtDate(iso) {
  if (!iso) return t('common.none')
  return String(iso).slice(0, 10)
}

/** Translates an enum value: label('unit.kind', 'enterprise'). */
export function label(prefix, value) {
  if (value === undefined || value === null || value === '') return t('common.none')
  const key = `${prefix}.${value}`
  return te(key) ? t(key) : String(value)
}

export function orNone(v) {
  return v === undefined || v === null || v === '' ? t('common.none') : v
}

export const UNIT_KINDS = [
  'technical_school',
  'vocational_college',
  'enterprise',
  'research_institute',
  'agency',
]
export const UNIT_ROLES = ['chair', 'vice_chair', 'council', 'member']
export const UNIT_STATUSES = ['active', 'suspended', 'withdrawn']
export const APP_STATUSES = ['pending', 'approved', 'rejected']
export const USER_ROLES = [
  'system_admin',
  'alliance_admin',
  'unit_admin',
  'teacher',
  'student',
  'enterprise_hr',
  'expert',
  'auditor',
]
export const UNIT_SCOPED_ROLES = ['unit_admin', 'teacher', 'student', 'enterprise_hr']
export const USER_STATUSES = ['active', 'disabled']
export const AUDIT_RESULTS = ['ok', 'failed', 'denied', 'throttled']

const TAG_TYPES = {
  // unit kind
  technical_school: 'primary',
  vocational_college: 'success',
  enterprise: 'warning',
  research_institute: 'info',
  agency: 'danger',
  // unit role
  chair: 'danger',
  vice_chair: 'warning',
  council: 'primary',
  member: 'info',
  // statuses
  active: 'success',
  suspended: 'warning',
  withdrawn: 'info',
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  disabled: 'info',
  ok: 'success',
  failed: 'danger',
  denied: 'warning',
  throttled: 'warning',
}

export function tagType(value) {
  return TAG_TYPES[value] || 'info'
}
