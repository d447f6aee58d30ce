import type { RouteRecordRaw } from 'vue-router';

const staff = ['centre_operator', 'admin', 'community_staff', 'board_lead'];
/** The deliberation pages also open to the grid's organisers (router.ts takes the union of the matched routes' roles). */
export const TOPIC_ROLES = ['grid_chief', 'grid_worker'];

/**
 * The centre console under /console (desktop, Element Plus). ConsoleLayout renders the menu and a
 * <RouterView/> for its children; the administration pages (/console/admin) reuse the same layout.
 */
export const consoleRoutes: RouteRecordRaw[] = [
  {
    path: '/console',
    component: () => import('./ConsoleLayout.vue'),
    meta: { auth: true, roles: staff },
    children: [
      { path: '', redirect: '/console/triage' },
      { path: 'triage', component: () => import('./TriagePage.vue'), meta: { title: 'console.nav.triage' } },
      { path: 'matters', component: () => import('./SearchPage.vue'), meta: { title: 'console.nav.search' } },
      { path: 'matters/:id(\\d+)', component: () => import('./MatterPage.vue'), meta: { title: 'console.nav.matter' } },
      { path: 'deadlines', component: () => import('./DeadlinesPage.vue'), meta: { title: 'console.nav.deadlines' } },
      { path: 'escalations', component: () => import('./EscalationsPage.vue'), meta: { title: 'console.nav.escalations' } },
      { path: 'messages', component: () => import('./MessagesPage.vue'), meta: { title: 'console.nav.messages' } },
      { path: 'stats', component: () => import('./StatsPage.vue'), meta: { title: 'console.nav.stats' } },
      { path: 'points', component: () => import('./points/PointsPage.vue'), meta: { title: 'console.points.nav' } },
      { path: 'topics', component: () => import('./TopicsPage.vue'), meta: { title: 'console.topics.list', roles: TOPIC_ROLES } },
      { path: 'topics/:id(\\d+)', component: () => import('./TopicPage.vue'), meta: { title: 'console.topics.detail', roles: TOPIC_ROLES } },
      { path: ':rest(.*)*', component: () => import('../NotFound.vue'), meta: { title: 'common.notFoundPage.title' } },
    ],
  },
];
