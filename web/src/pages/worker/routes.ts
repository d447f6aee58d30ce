import type { RouteRecordRaw } from 'vue-router';

const roles = ['grid_worker', 'grid_chief', 'building_head', 'unit_head', 'community_staff'];

/** The grid worker's phone pages under /m (Vant), with a tab bar: 待办 上报 走访 巡查 我的. */
export const workerRoutes: RouteRecordRaw[] = [
  {
    path: '/m',
    meta: { auth: true, roles },
    component: () => import('./WorkerLayout.vue'),
    children: [
      { path: '', meta: { title: 'inbox', tab: 'inbox' }, component: () => import('./InboxPage.vue') },
      { path: 'matters/:id(\\d+)', meta: { title: 'matter', back: true }, component: () => import('./MatterPage.vue') },
      { path: 'record', meta: { title: 'record', tab: 'record' }, component: () => import('./RecordPage.vue') },
      { path: 'visits', meta: { title: 'visits', tab: 'visits' }, component: () => import('./VisitsPage.vue') },
      { path: 'inspections', meta: { title: 'inspections', tab: 'inspections' }, component: () => import('./InspectionsPage.vue') },
      { path: 'inspections/:id(\\d+)', meta: { title: 'inspection', back: true }, component: () => import('./InspectionPage.vue') },
      { path: 'groups', meta: { title: 'groups', back: true }, component: () => import('./GroupsPage.vue') },
      { path: 'meetings', meta: { title: 'meetings', back: true }, component: () => import('./MeetingsPage.vue') },
      { path: 'meetings/:id(\\d+)', meta: { title: 'meeting', back: true }, component: () => import('./MeetingPage.vue') },
      { path: 'me', meta: { title: 'me', tab: 'me' }, component: () => import('./MePage.vue') },
      { path: ':rest(.*)*', meta: { title: 'notFound', back: true }, component: () => import('../NotFound.vue') },
    ],
  },
];

declare module 'vue-router' {
  interface RouteMeta {
    /** Worker pages: the tab the page belongs to, and whether the nav bar shows a back arrow. */
    tab?: string;
    back?: boolean;
  }
}
