import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { adminRoutes } from './pages/admin/routes.ts';
import { boardRoutes } from './pages/board/routes.ts';
import { consoleRoutes } from './pages/console/routes.ts';
import { deptRoutes } from './pages/dept/routes.ts';
import { merchantRoutes } from './pages/merchant/routes.ts';
import { residentRoutes } from './pages/resident/routes.ts';
import { screenRoutes } from './pages/screen/routes.ts';
import { workerRoutes } from './pages/worker/routes.ts';
import { session } from './shared/session.ts';

/**
 * One app, five areas, each loaded on demand: /m (grid worker, Vant), /r (resident, Vant), /console (centre,
 * Element Plus; /console/admin for administration), /screen (big screen, ECharts), /dept (departments and
 * joint-duty posts), /board (the public notice board, no sign-in), /shop (the merchant's counter, 商户核销). A route with meta.auth needs a session; meta.roles limits it to those roles.
 */
const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./pages/Login.vue') },
  ...workerRoutes,
  ...residentRoutes,
  ...consoleRoutes,
  ...adminRoutes,
  ...screenRoutes,
  ...deptRoutes,
  ...boardRoutes,
  ...merchantRoutes,
  { path: '/:rest(.*)*', component: () => import('./pages/NotFound.vue') },
];

export const router = createRouter({ history: createWebHistory('/'), routes });

router.beforeEach(async (to) => {
  if (!to.matched.some((r) => r.meta.auth)) return true;
  const me = await session.load();
  if (!me) return { path: to.matched.find((r) => r.meta.loginPath)?.meta.loginPath ?? '/login', query: { next: to.fullPath } };
  const roles = to.matched.flatMap((r) => r.meta.roles ?? []);
  if (roles.length && !me.assignments.some((a) => roles.includes(a.role))) return { path: '/login', query: { next: to.fullPath, denied: '1' } };
  return true;
});

declare module 'vue-router' {
  interface RouteMeta {
    auth?: boolean;
    roles?: string[];
    /** Where this area's login lives (the resident area signs in by phone number). */
    loginPath?: string;
    title?: string;
  }
}
