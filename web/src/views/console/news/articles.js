// What the signed-in user may do with an article (the server checks again):
// writers (news.write) edit drafts and returned articles of their unit and
// submit them; the secretariat (news.publish) edits in any state (a
// published one gets a new revision), publishes, returns, withdraws; unit admins
// (news.confirm) confirm notices for their unit.
import { computed } from 'vue'
import { useAuthStore } from '../../../stores/auth.js'

export function useArticlePerms() {
  const auth = useAuthStore()
  const canWrite = computed(() => auth.can('news.write'))
  const canPublish = computed(() => auth.can('news.publish'))
  const canConfirm = computed(() => auth.can('news.confirm'))

  /** The article belongs to the user's unit (or the user is the secretariat). */
  const ownOrSecretariat = (a) => canPublish.value || (!!auth.unitId && a.author_unit_id === auth.unitId)

  return {
    canWrite,
    canPublish,
    canConfirm,
    canEdit: (a) => !!a && canWrite.value && (canPublish.value || (ownOrSecretariat(a) && (a.status === 'draft' || a.status === 'returned'))),
    canDelete: (a) => !!a && canWrite.value && ownOrSecretariat(a) && (a.status === 'draft' || a.status === 'returned'),
    canSubmit: (a) => !!a && canWrite.value && ownOrSecretariat(a) && (a.status === 'draft' || a.status === 'returned'),
    canPublishIt: (a) => !!a && canPublish.value && ['draft', 'submitted', 'withdrawn'].includes(a.status),
    canReturn: (a) => !!a && canPublish.value && a.status === 'submitted',
    canWithdraw: (a) => !!a && canPublish.value && a.status === 'published',
    /** A published notice that asks its readers' units to confirm. */
    asksConfirmation: (a) => !!a && a.kind === 'notice' && !!a.needs_confirm,
  }
}
