import type { RouteRecordRaw } from 'vue-router';

/** The worker area under /m (owned by the worker pages). */
export const workerRoutes: RouteRecordRaw[] = [
  { path: '/m', meta: { auth: true }, component: () => import('./Placeholder.vue') },
];
