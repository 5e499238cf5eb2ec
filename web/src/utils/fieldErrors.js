import { reactive } from 'vue'

/** Server field messages for el-form-item :error="errors.<field>". */
export function useFieldErrors() {
  const errors = reactive({})
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  /** Takes err.fields; true when there were any. */
  function take(err) {
    clear()
    if (err && err.fields) {
      Object.assign(errors, err.fields)
      return true
    }
    return false
  }
  return { errors, clear, take }
}
