import type { RouteRecordRaw } from 'vue-router';

/** The dept area under /dept (owned by the dept pages). */
export const deptRoutes: RouteRecordRaw[] = [
  { path: '/dept', meta: { auth: true }, component: () => import('./Placeholder.vue') },
];
