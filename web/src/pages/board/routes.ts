import type { RouteRecordRaw } from 'vue-router';

/**
 * The public notice board (公示栏) under /board, no sign-in: a community's board and one topic's notice, each
 * readable on a phone from the QR code and printed on one A4 sheet for the stairwell.
 */
export const boardRoutes: RouteRecordRaw[] = [
  { path: '/board/c/:id', meta: { title: '议事公示栏' }, component: () => import('./CommunityBoardPage.vue') },
  { path: '/board/t/:id', meta: { title: '议题公示' }, component: () => import('./TopicBoardPage.vue') },
];
