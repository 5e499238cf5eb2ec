import { createRouter, createWebHistory } from 'vue-router'
import PortalLayout from '../layouts/PortalLayout.vue'
import PortalHome from '../views/portal/PortalHome.vue'
import { useAuthStore } from '../stores/auth.js'

// One SPA: the public portal at / and the console under /console/.
// Console pages are lazy-loaded; meta.perm names the permission a page
// needs (the layout shows 403 without it), meta.crumbs the breadcrumbs.
const routes = [
  {
    path: '/',
    component: PortalLayout,
    children: [
      { path: '', name: 'portal-home', component: PortalHome, meta: { title: 'portal.nav.home' } },
      {
        path: 'members',
        name: 'portal-members',
        component: () => import('../views/portal/PortalMembers.vue'),
        meta: { title: 'portal.nav.members' },
      },
      {
        path: 'members/:id(\\d+)',
        name: 'portal-unit',
        component: () => import('../views/portal/PortalUnit.vue'),
        meta: { title: 'portal.nav.members' },
      },
      {
        path: 'apply',
        name: 'portal-apply',
        component: () => import('../views/portal/PortalApply.vue'),
        meta: { title: 'portal.nav.apply' },
      },
      {
        path: 'charter',
        name: 'portal-charter',
        component: () => import('../views/portal/PortalCharter.vue'),
        meta: { title: 'portal.nav.charter' },
      },
      {
        path: 'council',
        name: 'portal-council',
        component: () => import('../views/portal/PortalBodies.vue'),
        props: { body: 'council' },
        meta: { title: 'portal.nav.council' },
      },
      {
        path: 'experts',
        name: 'portal-experts',
        component: () => import('../views/portal/PortalBodies.vue'),
        props: { body: 'expert_committee' },
        meta: { title: 'portal.nav.experts' },
      },
      {
        path: 'news',
        name: 'portal-news',
        component: () => import('../views/portal/PortalNews.vue'),
        meta: { title: 'portal.nav.news' },
      },
      {
        path: 'news/:id(\\d+)',
        name: 'portal-article',
        component: () => import('../views/portal/PortalArticle.vue'),
        meta: { title: 'portal.nav.news' },
      },
      {
        path: 'verify',
        name: 'portal-verify',
        component: () => import('../views/portal/PortalVerify.vue'),
        meta: { title: 'portal.nav.verify' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('../views/NotFound.vue'),
        meta: { title: 'menu.notFound' },
      },
    ],
  },
  {
    path: '/console/login',
    name: 'login',
    component: () => import('../views/console/LoginPage.vue'),
    meta: { title: 'login.title' },
  },
  {
    // Student account activation (docs/placement.md): public, like the login page.
    path: '/activate',
    name: 'activate',
    component: () => import('../views/console/placement/ActivatePage.vue'),
    meta: { title: 'placement.activate.title' },
  },
  {
    // The check-in screen for a projector: full screen, outside the console
    // layout (the page checks governance.manage itself).
    path: '/console/governance/meetings/:id(\\d+)/check-in',
    name: 'gov-checkin-screen',
    component: () => import('../views/console/governance/CheckInScreen.vue'),
    meta: { title: 'gov.checkin.screenTitle' },
  },
  {
    path: '/console',
    component: () => import('../layouts/ConsoleLayout.vue'),
    children: [
      {
        path: '',
        name: 'dashboard',
        component: () => import('../views/console/DashboardPage.vue'),
        meta: { title: 'menu.home', menu: 'home' },
      },
      {
        path: 'units',
        name: 'units',
        component: () => import('../views/console/units/UnitList.vue'),
        meta: { title: 'menu.units', menu: 'units', crumbs: ['units'] },
      },
      {
        path: 'units/new',
        name: 'unit-new',
        component: () => import('../views/console/units/UnitForm.vue'),
        meta: { title: 'menu.unitNew', menu: 'units', perm: 'units.create', crumbs: ['units', 'unitNew'] },
      },
      {
        path: 'units/import',
        name: 'unit-import',
        component: () => import('../views/console/units/UnitImport.vue'),
        meta: { title: 'menu.unitImport', menu: 'units', perm: 'units.import', crumbs: ['units', 'unitImport'] },
      },
      {
        path: 'units/:id(\\d+)',
        name: 'unit-detail',
        component: () => import('../views/console/units/UnitDetail.vue'),
        meta: { title: 'menu.unitDetail', menu: 'units', crumbs: ['units', 'unitDetail'] },
      },
      {
        path: 'units/:id(\\d+)/edit',
        name: 'unit-edit',
        component: () => import('../views/console/units/UnitForm.vue'),
        meta: { title: 'menu.unitEdit', menu: 'units', perm: 'units.update', crumbs: ['units', 'unitDetail', 'unitEdit'] },
      },
      {
        path: 'applications',
        name: 'applications',
        component: () => import('../views/console/ApplicationsPage.vue'),
        meta: { title: 'menu.applications', menu: 'applications', perm: 'applications.review', crumbs: ['applications'] },
      },
      {
        path: 'people',
        name: 'people',
        component: () => import('../views/console/PeoplePage.vue'),
        meta: { title: 'menu.people', menu: 'people', perm: 'people.read', crumbs: ['people'] },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('../views/console/UsersPage.vue'),
        meta: { title: 'menu.users', menu: 'users', perm: 'users.manage', crumbs: ['users'] },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('../views/console/AuditPage.vue'),
        meta: { title: 'menu.audit', menu: 'audit', perm: 'audit.read', crumbs: ['audit'] },
      },
      {
        path: 'governance/charter',
        name: 'gov-charter',
        component: () => import('../views/console/governance/CharterList.vue'),
        meta: { title: 'menu.charter', menu: 'charter', perm: 'governance.read', crumbs: ['governance', 'charter'] },
      },
      {
        path: 'governance/charter/new',
        name: 'gov-charter-new',
        component: () => import('../views/console/governance/CharterForm.vue'),
        meta: { title: 'menu.charterNew', menu: 'charter', perm: 'governance.manage', crumbs: ['governance', 'charter', 'charterNew'] },
      },
      {
        path: 'governance/charter/diff',
        name: 'gov-charter-diff',
        component: () => import('../views/console/governance/CharterDiff.vue'),
        meta: { title: 'menu.charterDiff', menu: 'charter', perm: 'governance.read', crumbs: ['governance', 'charter', 'charterDiff'] },
      },
      {
        path: 'governance/charter/:id(\\d+)',
        name: 'gov-charter-version',
        component: () => import('../views/console/governance/CharterVersion.vue'),
        meta: { title: 'menu.charterVersion', menu: 'charter', perm: 'governance.read', crumbs: ['governance', 'charter', 'charterVersion'] },
      },
      {
        path: 'governance/charter/:id(\\d+)/edit',
        name: 'gov-charter-edit',
        component: () => import('../views/console/governance/CharterForm.vue'),
        meta: { title: 'menu.charterEdit', menu: 'charter', perm: 'governance.manage', crumbs: ['governance', 'charter', 'charterVersion', 'charterEdit'] },
      },
      {
        path: 'governance/bodies',
        name: 'gov-bodies',
        component: () => import('../views/console/governance/BodiesPage.vue'),
        meta: { title: 'menu.bodies', menu: 'bodies', perm: 'governance.read', crumbs: ['governance', 'bodies'] },
      },
      {
        path: 'governance/terms/:id(\\d+)',
        name: 'gov-term',
        component: () => import('../views/console/governance/TermPage.vue'),
        meta: { title: 'menu.term', menu: 'bodies', perm: 'governance.read', crumbs: ['governance', 'bodies', 'term'] },
      },
      {
        path: 'governance/meetings',
        name: 'gov-meetings',
        component: () => import('../views/console/governance/MeetingList.vue'),
        meta: { title: 'menu.meetings', menu: 'meetings', perm: 'governance.read', crumbs: ['governance', 'meetings'] },
      },
      {
        path: 'governance/meetings/:id(\\d+)',
        name: 'gov-meeting',
        component: () => import('../views/console/governance/MeetingDetail.vue'),
        meta: { title: 'menu.meetingDetail', menu: 'meetings', perm: 'governance.read', crumbs: ['governance', 'meetings', 'meetingDetail'] },
      },
      {
        path: 'governance/meetings/:id(\\d+)/check-in-self',
        name: 'gov-checkin-self',
        component: () => import('../views/console/governance/CheckInSelf.vue'),
        meta: { title: 'menu.checkInSelf', menu: 'meetings', perm: 'meetings.vote', crumbs: ['governance', 'meetings', 'meetingDetail', 'checkInSelf'] },
      },
      {
        path: 'governance/ballots',
        name: 'gov-ballots',
        component: () => import('../views/console/governance/MyBallots.vue'),
        meta: { title: 'menu.ballots', menu: 'ballots', perm: 'meetings.vote', crumbs: ['governance', 'ballots'] },
      },
      {
        path: 'governance/resolutions',
        name: 'gov-resolutions',
        component: () => import('../views/console/governance/ResolutionList.vue'),
        meta: { title: 'menu.resolutions', menu: 'resolutions', perm: 'governance.read', crumbs: ['governance', 'resolutions'] },
      },
      {
        path: 'governance/resolutions/:id(\\d+)',
        name: 'gov-resolution',
        component: () => import('../views/console/governance/ResolutionDetail.vue'),
        meta: { title: 'menu.resolutionDetail', menu: 'resolutions', perm: 'governance.read', crumbs: ['governance', 'resolutions', 'resolutionDetail'] },
      },
      {
        path: 'governance/plan',
        name: 'gov-plan',
        component: () => import('../views/console/governance/PlanPage.vue'),
        meta: { title: 'menu.plan', menu: 'plan', perm: 'governance.read', crumbs: ['governance', 'plan'] },
      },
      {
        path: 'news',
        name: 'news',
        component: () => import('../views/console/news/ArticleList.vue'),
        meta: { title: 'menu.news', menu: 'news', perm: 'news.write', crumbs: ['publishing', 'news'] },
      },
      {
        // New and edit share one component instance (viewKey): saving a new
        // draft moves to its edit URL without reloading the form.
        path: 'news/new',
        name: 'news-new',
        component: () => import('../views/console/news/ArticleForm.vue'),
        meta: { title: 'menu.newsNew', menu: 'news', perm: 'news.write', crumbs: ['publishing', 'news', 'newsNew'], viewKey: 'news-editor' },
      },
      {
        path: 'news/review',
        name: 'news-review',
        component: () => import('../views/console/news/ReviewQueue.vue'),
        meta: { title: 'menu.newsReview', menu: 'newsReview', perm: 'news.publish', crumbs: ['publishing', 'newsReview'] },
      },
      {
        path: 'news/import',
        name: 'news-import',
        component: () => import('../views/console/news/ArticleImport.vue'),
        meta: { title: 'menu.newsImport', menu: 'newsImport', perm: 'news.publish', crumbs: ['publishing', 'newsImport'] },
      },
      {
        // Readable by anyone the article is for (the API answers 404 otherwise).
        path: 'news/:id(\\d+)',
        name: 'news-article',
        component: () => import('../views/console/news/ArticleView.vue'),
        meta: { title: 'menu.newsArticle', menu: 'news', crumbs: ['publishing', 'news', 'newsArticle'] },
      },
      {
        path: 'news/:id(\\d+)/edit',
        name: 'news-edit',
        component: () => import('../views/console/news/ArticleForm.vue'),
        meta: { title: 'menu.newsEdit', menu: 'news', perm: 'news.write', crumbs: ['publishing', 'news', 'newsArticle', 'newsEdit'], viewKey: 'news-editor' },
      },
      {
        path: 'news/:id(\\d+)/confirmations',
        name: 'news-confirmations',
        component: () => import('../views/console/news/ArticleConfirmations.vue'),
        meta: { title: 'menu.newsConfirmations', menu: 'news', perm: 'news.publish', crumbs: ['publishing', 'news', 'newsArticle', 'newsConfirmations'] },
      },
      {
        path: 'placement/positions',
        name: 'pl-positions',
        component: () => import('../views/console/placement/PositionList.vue'),
        meta: { title: 'menu.positions', menu: 'positions', perm: 'positions.write', crumbs: ['placement', 'positions'] },
      },
      {
        path: 'placement/positions/new',
        name: 'pl-position-new',
        component: () => import('../views/console/placement/PositionForm.vue'),
        meta: { title: 'menu.positionNew', menu: 'positions', perm: 'positions.write', crumbs: ['placement', 'positions', 'positionNew'] },
      },
      // Published positions are readable by anyone signed in (students apply
      // from here); the API answers 404 for the others.
      {
        path: 'placement/positions/:id(\\d+)',
        name: 'pl-position',
        component: () => import('../views/console/placement/PositionDetail.vue'),
        meta: { title: 'menu.positionDetail', menu: 'positions', crumbs: ['placement', 'positionDetail'] },
      },
      {
        path: 'placement/positions/:id(\\d+)/edit',
        name: 'pl-position-edit',
        component: () => import('../views/console/placement/PositionForm.vue'),
        meta: { title: 'menu.positionEdit', menu: 'positions', perm: 'positions.write', crumbs: ['placement', 'positions', 'positionDetail', 'positionEdit'] },
      },
      {
        path: 'placement/review',
        name: 'pl-review',
        component: () => import('../views/console/placement/PositionReview.vue'),
        meta: { title: 'menu.positionReview', menu: 'positionReview', perm: 'positions.review', crumbs: ['placement', 'positionReview'] },
      },
      {
        path: 'placement/recruit',
        name: 'pl-recruit',
        component: () => import('../views/console/placement/RecruitPage.vue'),
        meta: { title: 'menu.recruit', menu: 'recruit', perm: 'placement.recruit', crumbs: ['placement', 'recruit'] },
      },
      {
        path: 'placement/students',
        name: 'pl-students',
        component: () => import('../views/console/placement/StudentList.vue'),
        meta: { title: 'menu.students', menu: 'students', perm: 'students.read', crumbs: ['placement', 'students'] },
      },
      {
        path: 'placement/students/new',
        name: 'pl-student-new',
        component: () => import('../views/console/placement/StudentForm.vue'),
        meta: { title: 'menu.studentNew', menu: 'students', perm: 'students.manage', crumbs: ['placement', 'students', 'studentNew'] },
      },
      {
        path: 'placement/students/import',
        name: 'pl-student-import',
        component: () => import('../views/console/placement/ImportPage.vue'),
        props: { kind: 'students' },
        meta: { title: 'menu.studentImport', menu: 'students', perm: 'students.manage', crumbs: ['placement', 'students', 'studentImport'] },
      },
      {
        path: 'placement/students/:id(\\d+)/edit',
        name: 'pl-student-edit',
        component: () => import('../views/console/placement/StudentForm.vue'),
        meta: { title: 'menu.studentEdit', menu: 'students', perm: 'students.manage', crumbs: ['placement', 'students', 'studentEdit'] },
      },
      {
        path: 'placement/rounds',
        name: 'pl-rounds',
        component: () => import('../views/console/placement/RoundList.vue'),
        meta: { title: 'menu.rounds', menu: 'rounds', perm: 'rounds.manage', crumbs: ['placement', 'rounds'] },
      },
      {
        path: 'placement/rounds/:id(\\d+)',
        name: 'pl-round',
        component: () => import('../views/console/placement/RoundDetail.vue'),
        meta: { title: 'menu.roundDetail', menu: 'rounds', perm: 'rounds.manage', crumbs: ['placement', 'rounds', 'roundDetail'] },
      },
      {
        path: 'placement/browse',
        name: 'pl-browse',
        component: () => import('../views/console/placement/BrowsePositions.vue'),
        meta: { title: 'menu.browse', menu: 'browse', perm: 'placement.apply', crumbs: ['placement', 'browse'] },
      },
      {
        path: 'placement/my-applications',
        name: 'pl-my-applications',
        component: () => import('../views/console/placement/MyApplications.vue'),
        meta: { title: 'menu.myApplications', menu: 'myApplications', perm: 'placement.apply', crumbs: ['placement', 'myApplications'] },
      },
      {
        path: 'placement/choices',
        name: 'pl-choices',
        component: () => import('../views/console/placement/MyChoices.vue'),
        meta: { title: 'menu.myChoices', menu: 'myChoices', perm: 'placement.apply', crumbs: ['placement', 'myChoices'] },
      },
      {
        path: 'placement/result',
        name: 'pl-result',
        component: () => import('../views/console/placement/MyResult.vue'),
        meta: { title: 'menu.myResult', menu: 'myResult', perm: 'placement.apply', crumbs: ['placement', 'myResult'] },
      },
      {
        path: 'placement/profile',
        name: 'pl-profile',
        component: () => import('../views/console/placement/MyProfile.vue'),
        meta: { title: 'menu.myProfile', menu: 'myProfile', perm: 'placement.apply', crumbs: ['placement', 'myProfile'] },
      },
      {
        path: 'placement/outcomes',
        name: 'pl-outcomes',
        component: () => import('../views/console/placement/OutcomeList.vue'),
        meta: { title: 'menu.outcomes', menu: 'outcomes', perm: 'outcomes.read', crumbs: ['placement', 'outcomes'] },
      },
      {
        path: 'placement/outcomes/import',
        name: 'pl-outcome-import',
        component: () => import('../views/console/placement/ImportPage.vue'),
        props: { kind: 'outcomes' },
        meta: { title: 'menu.outcomeImport', menu: 'outcomes', perm: 'outcomes.write', crumbs: ['placement', 'outcomes', 'outcomeImport'] },
      },
      {
        path: 'placement/employment',
        name: 'pl-employment',
        component: () => import('../views/console/placement/EmploymentDashboard.vue'),
        meta: { title: 'menu.employment', menu: 'employment', perm: 'outcomes.read', crumbs: ['placement', 'employment'] },
      },
      {
        // Search everything the caller may see (docs/search.md); the API
        // filters by permission, so the page needs none.
        path: 'search',
        name: 'search',
        component: () => import('../views/console/SearchPage.vue'),
        meta: { title: 'menu.search', crumbs: ['search'] },
      },
      {
        path: 'account',
        name: 'account',
        component: () => import('../views/console/AccountPage.vue'),
        meta: { title: 'menu.account', menu: 'account', crumbs: ['account'] },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'console-not-found',
        component: () => import('../views/NotFound.vue'),
        meta: { title: 'menu.notFound', crumbs: ['notFound'], home: '/console/' },
      },
    ],
  },
]

const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior(to, from, saved) {
    if (saved) return saved
    if (to.hash) return { el: to.hash }
    if (to.path !== from.path) return { top: 0 }
    return false
  },
})

/** Only console paths may be a redirect target after login. */
export function safeRedirect(target) {
  return typeof target === 'string' && target.startsWith('/console') && !target.startsWith('/console/login')
    ? target
    : '/console/'
}

router.beforeEach(async (to) => {
  if (!to.path.startsWith('/console')) return true
  const auth = useAuthStore()
  try {
    await auth.ensure()
  } catch {
    /* server unreachable: treat as signed out */
  }
  if (to.name === 'login') {
    if (auth.signedIn && !to.query.expired) return safeRedirect(to.query.redirect)
    return true
  }
  if (!auth.signedIn) return { name: 'login', query: { redirect: to.fullPath } }
  return true
})

// A stale lazy chunk after a redeploy: load the page afresh.
router.onError((err, to) => {
  if (/Failed to fetch dynamically imported module|Importing a module script failed/.test(String(err && err.message))) {
    window.location.assign(to.fullPath)
  }
})

export default router
