import type { RouteRecordRaw } from 'vue-router';

/** The console area under /console (owned by the console pages). */
export const consoleRoutes: RouteRecordRaw[] = [
  { path: '/console', meta: { auth: true }, component: () => import('./Placeholder.vue') },
];
