import type { RouteRecordRaw } from 'vue-router';

/** The admin area under /console/admin (owned by the admin pages). */
export const adminRoutes: RouteRecordRaw[] = [
  { path: '/console/admin', meta: { auth: true }, component: () => import('./Placeholder.vue') },
];
