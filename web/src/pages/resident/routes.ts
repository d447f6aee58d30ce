import type { RouteRecordRaw } from 'vue-router';

const auth = { auth: true, loginPath: '/r/login' };

/**
 * The resident area under /r (Vant, phone): sign in with a phone number, report a problem in three short
 * steps, follow my matters through the six public stages, and rate them when done. Any signed-in person may
 * use it (a resident, or staff reporting as themselves); the router sends strangers to /r/login. Deliberation
 * (议事协商) too: the topics of where I live, raising one, supporting, talking, voting and pledging, and checking in
 * at a meeting with its code. Points (积分): checking in daily, the shop of the merchants nearby and the code shown
 * at their counter.
 */
export const residentRoutes: RouteRecordRaw[] = [
  {
    path: '/r',
    component: () => import('./ResidentLayout.vue'),
    children: [
      { path: 'login', meta: { title: 'login' }, component: () => import('./LoginPage.vue') },
      { path: '', meta: { ...auth, title: 'home' }, component: () => import('./HomePage.vue') },
      { path: 'report', meta: { ...auth, title: 'report' }, component: () => import('./ReportPage.vue') },
      { path: 'done/:code', meta: { ...auth, title: 'done' }, component: () => import('./DonePage.vue') },
      { path: 'mine', meta: { ...auth, title: 'mine' }, component: () => import('./MinePage.vue') },
      { path: 'm/:code', meta: { title: 'matter' }, component: () => import('./MatterPage.vue') },
      { path: 'topics', meta: { ...auth, title: 'topics' }, component: () => import('./TopicsPage.vue') },
      { path: 'topics/new', meta: { ...auth, title: 'topicNew' }, component: () => import('./TopicNewPage.vue') },
      { path: 'topics/:id(\\d+)', meta: { ...auth, title: 'topic' }, component: () => import('./TopicPage.vue') },
      { path: 'points', meta: { ...auth, title: 'points' }, component: () => import('./PointsPage.vue') },
      { path: 'points/codes/:id(\\d+)', meta: { ...auth, title: 'pointsCode' }, component: () => import('./PointsCodePage.vue') },
      { path: 'meetings/:id(\\d+)/checkin', meta: { ...auth, title: 'checkin' }, component: () => import('./MeetingCheckinPage.vue') },
      { path: ':rest(.*)*', meta: { title: 'notFound' }, component: () => import('../NotFound.vue') },
    ],
  },
];
