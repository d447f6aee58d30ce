import type { RouteRecordRaw } from 'vue-router';

/**
 * The merchant's counter under /shop (商户核销, Vant, phone): the shopkeeper signs in by phone code like a resident,
 * picks the shop if the number keeps several, scans the resident's QR (or types the eight digits) to confirm a code,
 * declines one with a reason, and sees today's codes with their totals. Strangers are sent to /shop/login.
 */
export const merchantRoutes: RouteRecordRaw[] = [
  {
    path: '/shop',
    component: () => import('./MerchantLayout.vue'),
    children: [
      { path: 'login', meta: { title: 'login' }, component: () => import('./MerchantLoginPage.vue') },
      { path: '', meta: { auth: true, loginPath: '/shop/login', title: 'counter' }, component: () => import('./CounterPage.vue') },
      { path: ':rest(.*)*', redirect: '/shop' },
    ],
  },
];
