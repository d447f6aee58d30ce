import type { RouteRecordRaw } from 'vue-router';

const roles = ['department_handler', 'post_handler', 'board_lead'];

/** The dept area under /dept: departments, joint-duty posts and board leads handle what is assigned to them. */
export const deptRoutes: RouteRecordRaw[] = [
  {
    path: '/dept',
    meta: { auth: true, roles },
    component: () => import('./DeptLayout.vue'),
    children: [
      { path: '', meta: { title: '我的交办事件' }, component: () => import('./DeptList.vue') },
      { path: 'matters/:id(\\d+)', meta: { title: '事件详情' }, component: () => import('./DeptMatter.vue') },
      { path: ':rest(.*)*', component: () => import('../NotFound.vue') },
    ],
  },
];
