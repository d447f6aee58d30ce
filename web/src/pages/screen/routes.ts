import type { RouteRecordRaw } from 'vue-router';

/** The screen area under /screen (owned by the screen pages). */
export const screenRoutes: RouteRecordRaw[] = [
  { path: '/screen', meta: { auth: true }, component: () => import('./Placeholder.vue') },
];
