import type { RouteRecordRaw } from 'vue-router';

/** The screen area under /screen: the centre's big screen (1920×1080, ECharts). */
export const screenRoutes: RouteRecordRaw[] = [
  { path: '/screen', meta: { auth: true, roles: ['centre_operator', 'admin'], title: '指挥大屏' }, component: () => import('./ScreenPage.vue') },
];
