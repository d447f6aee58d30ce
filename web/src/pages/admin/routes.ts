import type { RouteRecordRaw } from 'vue-router';

/** The admin area under /console/admin: the tree, grids and boundaries, people and roles, dictionary, calendar, online groups, the sensing model. */
export const adminRoutes: RouteRecordRaw[] = [
  {
    path: '/console/admin',
    component: () => import('../console/ConsoleLayout.vue'),
    meta: { auth: true, roles: ['admin'] },
    children: [
      { path: '', redirect: '/console/admin/tree' },
      { path: 'tree', component: () => import('./TreePage.vue'), meta: { title: 'admin.nav.tree' } },
      { path: 'grids/:id?', component: () => import('./GridPage.vue'), meta: { title: 'admin.nav.grids' } },
      { path: 'people', component: () => import('./PeoplePage.vue'), meta: { title: 'admin.nav.people' } },
      { path: 'categories', component: () => import('./CategoriesPage.vue'), meta: { title: 'admin.nav.categories' } },
      { path: 'calendar', component: () => import('./CalendarPage.vue'), meta: { title: 'admin.nav.calendar' } },
      { path: 'online-groups', component: () => import('./GroupsPage.vue'), meta: { title: 'admin.nav.online-groups' } },
      { path: 'sensing', component: () => import('./SensingPage.vue'), meta: { title: 'admin.nav.sensing' } },
      { path: ':rest(.*)*', component: () => import('../NotFound.vue'), meta: { title: 'common.notFoundPage.title' } },
    ],
  },
];
