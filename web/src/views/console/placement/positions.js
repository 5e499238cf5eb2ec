// What the signed-in user may do with a position (the server checks again):
// enterprise users (positions.write) manage their own unit's positions and
// submit them; the secretariat (positions.review) manages any, publishes
// and returns; recruiters (placement.recruit) see the applicants of their
// own positions; students (placement.apply) apply to published ones.
import { computed } from 'vue'
import { useAuthStore } from '../../../stores/auth.js'

export function usePositionPerms() {
  const auth = useAuthStore()
  const canWrite = computed(() => auth.can('positions.write'))
  const canReview = computed(() => auth.can('positions.review'))
  const canApply = computed(() => auth.can('placement.apply'))
  const own = (p) => !!p && (canReview.value || (!!auth.unitId && p.unit_id === auth.unitId))
  const editableStatus = (s) => s === 'draft' || s === 'returned'

  return {
    canWrite,
    canReview,
    canApply,
    own,
    /** Draft and returned: every field; published: seats, pay, end date, description. */
    canEdit: (p) => canWrite.value && own(p) && (editableStatus(p.status) || p.status === 'published'),
    canDelete: (p) => canWrite.value && own(p) && p.status === 'draft',
    canSubmit: (p) => canWrite.value && !canReview.value && own(p) && editableStatus(p.status),
    canPublish: (p) => canReview.value && (p.status === 'submitted' || p.status === 'draft'),
    canReturn: (p) => canReview.value && p.status === 'submitted',
    canClose: (p) => canWrite.value && own(p) && p.status === 'published',
    canRecruit: (p) => auth.can('placement.recruit') && own(p),
  }
}
