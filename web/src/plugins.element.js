// Element Plus: only the components the app uses are registered (the rest
// is tree-shaken away); the whole stylesheet is loaded once. A parent's
// install also registers its parts (ElTable -> ElTableColumn, ElSelect ->
// ElOption, ElRadio -> ElRadioGroup and ElRadioButton, ElMenu -> items, ...).
import 'element-plus/dist/index.css'
import {
  ElAlert,
  ElAvatar,
  ElBadge,
  ElBreadcrumb,
  ElButton,
  ElCheckbox,
  ElConfigProvider,
  ElDatePicker,
  ElDescriptions,
  ElDialog,
  ElDrawer,
  ElDropdown,
  ElEmpty,
  ElForm,
  ElIcon,
  ElInput,
  ElInputNumber,
  ElInputTag,
  ElMenu,
  ElPagination,
  ElProgress,
  ElRadio,
  ElResult,
  ElScrollbar,
  ElSelect,
  ElSkeleton,
  ElSteps,
  ElSwitch,
  ElTable,
  ElTabs,
  ElTag,
  ElTimeline,
  ElLoading,
} from 'element-plus'

const components = [
  ElAlert,
  ElAvatar,
  ElBadge,
  ElBreadcrumb,
  ElButton,
  ElCheckbox,
  ElConfigProvider,
  ElDatePicker,
  ElDescriptions,
  ElDialog,
  ElDrawer,
  ElDropdown,
  ElEmpty,
  ElForm,
  ElIcon,
  ElInput,
  ElInputNumber,
  ElInputTag,
  ElMenu,
  ElPagination,
  ElProgress,
  ElRadio,
  ElResult,
  ElScrollbar,
  ElSelect,
  ElSkeleton,
  ElSteps,
  ElSwitch,
  ElTable,
  ElTabs,
  ElTag,
  ElTimeline,
]

export default {
  install(app) {
    for (const c of components) app.use(c)
    app.use(ElLoading)
  },
}
