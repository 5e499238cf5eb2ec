// Who may download an appointment letter (聘书): the server answers 404 to
// anyone else, so the link is shown only to the secretariat, to the unit
// admin of the holder's unit, and to the holder's own user (when both the
// session and the appointment name the person).
import { useAuthStore } from '../../../stores/auth.js'

export function useLetterAccess() {
  const auth = useAuthStore()
  return (a) => {
    if (auth.can('governance.manage')) return true
    if (auth.role === 'unit_admin' && a.unit_id && a.unit_id === auth.unitId) return true
    const me = auth.user && auth.user.person_id
    return !!me && a.person_id === me
  }
}
