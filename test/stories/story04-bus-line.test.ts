import { describe, expect, it } from 'vitest';
import type { MatterOut } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';
import { beijingDay, dueAfter, expectDueNear, full, handlerLine, onDay, steps, summary } from './support.ts';

// Story 4: no bus near an estate; the worker logs it; the livelihood board leads with the traffic post, law
// enforcement assists, the community cooperates; a new bus line in 15 days covers 60,000 people.
describe('story 4 — no bus near the estate: fifteen working days, one extension, a return visit', () => {
  const s = useTestTown({ seed: 'story', closeWithin: 5_000 });
  const [worker, centre, lead, trafficPost, lawPost, community] = s.actors('t_worker11', 't_centre', 't_livelihood', 't_post', 't_lawpost', 't_staff1');

  it('runs a fifteen-working-day matter with an approved extension to closure and a return visit', async () => {
    const p = s.town.posts;

    // Collect: on her door-to-door visits the grid worker logs what the residents keep saying.
    const reported = full(await worker.ok<MatterOut>('POST', '/api/matters', {
      source: 'visit', channel: 'phone', location: { buildingId: s.town.building.id },
      description: '走访中居民反映小区附近没有公交，最近的公交站要走两公里，老人孩子出行难，希望开通公交线路',
    }));
    expect(reported).toMatchObject({ status: 'reported', areaNodeId: s.town.g11.id, ownerNodeId: s.town.town.id, reporter: { userId: s.town.users.worker11 } });
    const id = reported.id;

    // Triage: a public, complex livelihood matter; the dictionary puts it under the livelihood board.
    expect(await centre.ok('GET', `/api/matters/${id}/suggestion`)).toMatchObject({ category: { code: 'S03003' }, level: 'town', leadBoard: 'livelihood' });
    const registered = await centre.step(id, 'register', { categoryCode: 'S03003', scope: 'public', complexity: 'complex' });
    expect(registered).toMatchObject({ status: 'registered', level: 'town', ownerNodeId: s.town.town.id, leadBoardId: s.town.livelihood.id, complexity: 'complex' });

    // Assign: the livelihood board's post leads with the traffic post; law enforcement assists; the community cooperates.
    const before = new Date();
    const dispatched = await centre.step(id, 'dispatch', {
      lead: { kind: 'post', id: p.publicService.id },
      assists: [{ kind: 'post', id: s.town.post.id }, { kind: 'post', id: p.lawPost.id }, { kind: 'node', id: s.town.c1.id }],
      note: '民生服务板块牵头，交通巡逻岗、综合执法岗协办，花园社区配合',
    });
    const due = dueAfter(before, 15, 'working_days');
    expect(dispatched).toMatchObject({ status: 'dispatched', ownerNodeId: s.town.town.id, level: 'town' });
    expectDueNear(dispatched.dueAt, due);
    expect((await centre.matter(id)).assignments.map((a) => [a.role, a.targetKind, a.targetId, a.targetName, a.status])).toEqual([
      ['lead', 'post', p.publicService.id, '公共服务岗', 'pending'],
      ['assist', 'post', s.town.post.id, '交通巡逻岗', 'pending'],
      ['assist', 'post', p.lawPost.id, '综合执法岗', 'pending'],
      ['assist', 'node', s.town.c1.id, '花园社区', 'pending'],
    ]);

    // Handle: the lead accepts and surveys the route with the traffic post.
    expect(await lead.step(id, 'accept')).toMatchObject({ status: 'handling', ownerNodeId: s.town.town.id });
    await lead.step(id, 'progress', { note: '会同交通巡逻岗实地踏勘，拟定新线路走向和站点', photos: [] });

    // The new line needs the district's approval and a trial run: the lead asks for five more working days.
    const extendTo = dueAfter(new Date(dispatched.dueAt ?? 0), 5, 'working_days');
    expect(await lead.step(id, 'extend-request', { reason: '新线路需区交通局审批并试运行', extendTo: extendTo.toISOString() })).toMatchObject({ status: 'handling', dueAt: dispatched.dueAt });
    let detail = await centre.matter(id);
    const request = detail.requests[0];
    expect(detail.requests).toMatchObject([{ kind: 'extend', status: 'pending' }]);
    const extended = await centre.ok<MatterOut>('POST', `/api/matters/${id}/requests/${request?.id}/decide`, { approve: true, note: '同意延期' });
    expect(extended).toMatchObject({ status: 'handling', ownerNodeId: s.town.town.id, dueAt: extendTo.toISOString(), counts: { extended: 1 } });
    expect((await centre.matter(id)).requests).toMatchObject([{ kind: 'extend', status: 'approved' }]);

    // The assists do their part; the community cooperates (its staff act for it).
    await trafficPost.step(id, 'assist-done', { note: '完成线路沿途交通组织评估', photos: [] });
    await lawPost.step(id, 'accept');
    await lawPost.step(id, 'assist-done', { note: '清理拟设站点周边占道经营', photos: [] });
    await community.step(id, 'assist-done', { note: '社区收集居民出行需求并张贴新线路公示', photos: [] });
    expect((await centre.matter(id)).assignments.map((a) => a.status)).toEqual(['accepted', 'done', 'done', 'done']);
    expect(await lead.step(id, 'handle', { note: '新开公交线路，覆盖周边6万余人', photos: [] })).toMatchObject({ status: 'handled', ownerNodeId: s.town.town.id });

    // Feed back: verified, then closed by the centre (a staff report nobody rates).
    expect(await centre.step(id, 'verify', { passed: true, note: '新线路已试运行' })).toMatchObject({ status: 'feedback' });
    const closed = full(await centre.step(id, 'close', { note: '新公交线路开通' }));
    expect(closed).toMatchObject({ status: 'closed', ownerNodeId: s.town.town.id, level: 'town', closedOnTime: true, dueAt: extendTo.toISOString(), counts: { extended: 1 } });

    // Evaluate: a return visit (回访) is recorded; the matter stays closed.
    expect(await worker.step(id, 'visit', { outcome: '回访小区居民，新公交线路运行正常，出行方便多了', satisfied: true })).toMatchObject({ status: 'closed' });

    detail = await centre.matter(id);
    expect(steps(detail)).toEqual([
      ['report', 'grid_worker', null, 'reported'],
      ['register', 'centre_operator', 'reported', 'registered'],
      ['dispatch', 'centre_operator', 'registered', 'dispatched'],
      ['accept', 'post_handler', 'dispatched', 'handling'],
      ['progress', 'post_handler', 'handling', 'handling'],
      ['extend_requested', 'post_handler', 'handling', 'handling'],
      ['extend', 'centre_operator', 'handling', 'handling'],
      ['assist_done', 'post_handler', 'handling', 'handling'],
      ['assist_accept', 'post_handler', 'handling', 'handling'],
      ['assist_done', 'post_handler', 'handling', 'handling'],
      ['assist_done', 'community_staff', 'handling', 'handling'],
      ['handle', 'post_handler', 'handling', 'handled'],
      ['verify_pass', 'centre_operator', 'handled', 'feedback'],
      ['close', 'centre_operator', 'feedback', 'closed'],
      ['return_visit', 'grid_worker', 'closed', 'closed'],
    ]);
    const u = s.town.storyUsers;
    expect(detail.timeline.map((e) => e.actorUserId)).toEqual([
      s.town.users.worker11, s.town.users.centre, s.town.users.centre, u.publicService, u.publicService, u.publicService, s.town.users.centre,
      s.town.users.post, u.lawPost, u.lawPost, s.town.users.staff1, u.publicService, s.town.users.centre, s.town.users.centre, s.town.users.worker11,
    ]);
    expect(detail.timeline.find((e) => e.action === 'extend')).toMatchObject({ details: { to: extendTo.toISOString() } });
    expect(detail.timeline.at(-1)).toMatchObject({ note: '回访小区居民，新公交线路运行正常，出行方便多了', details: { satisfied: true } });
    expect(detail.assignments.map((a) => a.status)).toEqual(['done', 'done', 'done', 'done']);

    // Statistics afterwards, today: one visit at street level, handled and closed, extended once.
    const today = beijingDay();
    for (const node of [s.town.g11, s.town.c1, s.town.town]) {
      const s = await summary(centre, node.id, today);
      expect(s.reported).toMatchObject({ total: 1, bySource: { visit: 1 }, byLevel: { town: 1 }, byStatus: { closed: 1 }, byCategory: [{ code: 'S03003', n: 1 }] });
      // Due weeks from now, so not yet due today.
      expect(s).toMatchObject({ due: 0, closed: 0, closureRate: null, handled: 1, reworked: 0, closes: 1, extended: 1, suspended: 0, escalated: 0, rated: 0, overdueNow: 0 });
    }
    for (const postId of [p.publicService.id, s.town.post.id, p.lawPost.id]) {
      expect(await handlerLine(centre, s.town.town.id, 'post', postId, today)).toMatchObject({ handled: 1, extended: 1, closes: 1, overdueNow: 0 });
    }
    // On the original due day nothing falls due any more; on the extended due day it counts as closed on time.
    const oldDueDay = beijingDay(due);
    const newDueDay = beijingDay(extendTo);
    await onDay(new Date(due.getTime() + 60_000), async () => {
      expect(await summary(await s.as('t_centre'), s.town.town.id, today, oldDueDay)).toMatchObject({ due: 0, closed: 0, closureRate: null, extended: 1, overdueNow: 0 });
    });
    await onDay(new Date(extendTo.getTime() + 60_000), async () => {
      const later = await s.as('t_centre');
      expect(await summary(later, s.town.town.id, today, newDueDay)).toMatchObject({ due: 1, closed: 1, closedOnTime: 1, closureRate: 1, onTimeRate: 1, extended: 1, overdueNow: 0 });
      expect(await handlerLine(later, s.town.town.id, 'post', p.publicService.id, today, newDueDay)).toMatchObject({ due: 1, closed: 1, closedOnTime: 1, onTimeRate: 1, extended: 1 });
      expect(await summary(later, s.town.c1.id, today, newDueDay)).toMatchObject({ due: 1, closed: 1, closedOnTime: 1 });
    });
  });
});
