// Confirmation before destructive actions (ElMessageBox), with stable
// data-testid on its buttons: confirm-dialog, confirm-ok, confirm-cancel.
import { ElMessageBox } from 'element-plus'
import { t } from '../i18n/index.js'

function tagButtons() {
  const box = document.querySelector('.jl-confirm')
  if (!box) return
  box.setAttribute('data-testid', 'confirm-dialog')
  box.querySelector('.jl-confirm-ok')?.setAttribute('data-testid', 'confirm-ok')
  box.querySelector('.jl-confirm-cancel')?.setAttribute('data-testid', 'confirm-cancel')
}

export async function confirmAction(message, { title, danger = true, okText } = {}) {
  const p = ElMessageBox.confirm(message, title || t('common.confirmTitle'), {
    type: danger ? 'warning' : 'info',
    confirmButtonText: okText || t('common.confirm'),
    cancelButtonText: t('common.cancel'),
    customClass: 'jl-confirm',
    confirmButtonClass: 'jl-confirm-ok' + (danger ? ' el-button--danger' : ''),
    cancelButtonClass: 'jl-confirm-cancel',
    autofocus: false,
    closeOnClickModal: false,
  })
  requestAnimationFrame(tagButtons)
  setTimeout(tagButtons, 50)
  try {
    await p
    return true
  } catch {
    return false
  }
}
