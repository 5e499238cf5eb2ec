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
