import type { RouteRecordRaw } from 'vue-router';

/** The resident area under /r (owned by the resident pages). */
export const residentRoutes: RouteRecordRaw[] = [
  { path: '/r', component: () => import('./Placeholder.vue') },
];
