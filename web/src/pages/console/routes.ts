import type { RouteRecordRaw } from 'vue-router';

const staff = ['centre_operator', 'admin', 'community_staff', 'board_lead'];

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
      { path: ':rest(.*)*', component: () => import('../NotFound.vue'), meta: { title: 'common.notFoundPage.title' } },
    ],
  },
];
