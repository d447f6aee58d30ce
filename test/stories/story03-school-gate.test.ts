import { describe, expect, it } from 'vitest';
import { expectError } from '../helpers/app.ts';
import { type MatterOut, uploadPhoto } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';
import { beijingDay, dueAfter, expectDueNear, full, handlerLine, hoursBetween, onDay, steps, summary } from './support.ts';

// Story 3: cars jam a school gate; the grid worker directs traffic, then reports; the centre dispatches the
// safety board's post with traffic police, school, property company and police station; peak-hour marshals follow.
describe('story 3 — the jammed school gate, one post and five units', () => {
  const s = useTestTown({ seed: 'story', closeWithin: 5_000 });
  const [worker, centre, post, parent, traffic, school, property, police, enforcement] =
    s.actors('t_worker12', 't_centre', 't_post', 't_resident12', 't_traffic', 't_school', 't_property', 't_police', 't_enforce');

  it('dispatches the traffic post with four assists, summons one more department, and the complaining parent rates it', async () => {
    const d = s.town.departments;
    const assists = { traffic, school, property, police };

    // Collect: 李秀英 complains at the gate; the grid worker sorts the traffic out, then reports it on her behalf.
    const reported = full(await worker.ok<MatterOut>('POST', '/api/matters', {
      source: 'patrol', channel: 'phone', location: { nodeId: s.town.g12.id }, address: '花园路小学南门',
      description: '放学高峰学校门口家长停车接娃，车辆乱停把校门口堵死了，孩子从车缝里穿行很危险',
      reporter: { residentId: s.town.residents.r12 },
    }));
    expect(reported).toMatchObject({ status: 'reported', areaNodeId: s.town.g12.id, gridId: s.town.g12.id, ownerNodeId: s.town.town.id, urgent: false, reporter: { residentId: s.town.residents.r12, userId: s.town.storyUsers.resident12 } });
    const id = reported.id;
    // She follows it on her phone.
    expect((await parent.matter(id)).status).toBe('reported');

    // Triage: a public matter for the street; the safety board leads.
    expect(await centre.ok('GET', `/api/matters/${id}/suggestion`)).toMatchObject({ category: { code: 'S06001' }, level: 'town' });
    const registered = full(await centre.step(id, 'register', { categoryCode: 'S06001', scope: 'public', complexity: 'complex' }));
    expect(registered).toMatchObject({ status: 'registered', level: 'town', ownerNodeId: s.town.town.id, leadBoardId: s.town.board.id });

    // Assign: the traffic patrol post leads; traffic police, the school, the property company and the police station assist.
    const before = new Date();
    const dispatched = await centre.step(id, 'dispatch', {
      lead: { kind: 'post', id: s.town.post.id },
      assists: [{ kind: 'department', id: d.traffic.id }, { kind: 'department', id: d.school.id }, { kind: 'department', id: d.property.id }, { kind: 'department', id: s.town.police.id }],
      note: '交通巡逻岗牵头，交巡警、学校、物业、派出所协同',
    });
    const due = dueAfter(before, 2, 'working_days');
    expect(dispatched).toMatchObject({ status: 'dispatched', ownerNodeId: s.town.town.id, level: 'town' });
    expectDueNear(dispatched.dueAt, due);
    let detail = await centre.matter(id);
    expect(detail.assignments.map((a) => [a.role, a.targetKind, a.targetId, a.status, a.summoned])).toEqual([
      ['lead', 'post', s.town.post.id, 'pending', false],
      ['assist', 'department', d.traffic.id, 'pending', false],
      ['assist', 'department', d.school.id, 'pending', false],
      ['assist', 'department', d.property.id, 'pending', false],
      ['assist', 'department', s.town.police.id, 'pending', false],
    ]);

    // Handle: the post accepts and sets up peak-hour marshals.
    expect(await post.step(id, 'accept')).toMatchObject({ status: 'handling', ownerNodeId: s.town.town.id });
    await post.step(id, 'progress', { note: '早晚高峰设置护学岗，安排交通劝导员现场疏导', photos: [] });

    // 街道吹哨、部门报到: the centre summons the street's law enforcement team for the illegal parking.
    const summoned = await centre.step(id, 'summon', { departments: [{ kind: 'department', id: d.enforcement.id }], note: '校门口占道违停，需综合执法大队报到' });
    expect(summoned).toMatchObject({ status: 'handling', ownerNodeId: s.town.town.id, dueAt: dispatched.dueAt });
    detail = await centre.matter(id);
    expect(detail.assignments.at(-1)).toMatchObject({ role: 'assist', targetKind: 'department', targetId: d.enforcement.id, targetName: '观音桥街道综合执法大队', status: 'pending', summoned: true });

    // The post cannot finish while five units are still at work.
    const early = await post.raw('POST', `/api/matters/${id}/handle`, { note: '已疏导', photos: [] });
    expectError(early, 409, 'ASSISTS_PENDING');
    expect((await centre.matter(id)).timeline).toHaveLength(detail.timeline.length);

    // The assists do their part.
    await assists.traffic.step(id, 'accept');
    await assists.traffic.step(id, 'assist-done', { note: '交巡警在校门口设置临时即停即走区', photos: [] });
    await assists.school.step(id, 'assist-done', { note: '学校错峰放学，家长志愿者协助', photos: [] });
    await assists.property.step(id, 'assist-done', { note: '物业开放小区内部车位供接送临时停放', photos: [] });
    await assists.police.step(id, 'assist-done', { note: '派出所安排民警高峰时段巡逻', photos: [] });
    await enforcement.step(id, 'accept');
    await enforcement.step(id, 'assist-done', { note: '对占道违停车辆劝离并告知', photos: [] });
    expect((await centre.matter(id)).assignments.map((a) => a.status)).toEqual(['accepted', 'done', 'done', 'done', 'done', 'done']);

    // The post marks it handled with a photo of the cleared gate.
    const photo = await uploadPhoto(s.app, await s.login('t_post'));
    expect(await post.step(id, 'handle', { note: '校门口秩序恢复，护学岗常态化', photos: [photo] })).toMatchObject({ status: 'handled', ownerNodeId: s.town.town.id });

    // Feed back: the centre verifies; 李秀英 is told and rates it satisfied.
    expect(await centre.step(id, 'verify', { passed: true, note: '高峰时段实地查看，通行顺畅' })).toMatchObject({ status: 'feedback' });
    const notices = await s.deps.db.selectFrom('notices').select(['user_id', 'resident_id', 'kind']).where('matter_id', '=', id).execute();
    expect(notices).toEqual([{ user_id: s.town.storyUsers.resident12, resident_id: s.town.residents.r12, kind: 'matter.feedback' }]);
    const closed = full(await parent.step(id, 'rate', { satisfaction: 'satisfied', comment: '现在接孩子不堵了' }));
    expect(closed).toMatchObject({ status: 'closed', stage: 5, ownerNodeId: s.town.town.id, level: 'town', satisfaction: 'satisfied', closedOnTime: true });

    detail = await centre.matter(id);
    expect(steps(detail)).toEqual([
      ['report', 'grid_worker', null, 'reported'],
      ['register', 'centre_operator', 'reported', 'registered'],
      ['dispatch', 'centre_operator', 'registered', 'dispatched'],
      ['accept', 'post_handler', 'dispatched', 'handling'],
      ['progress', 'post_handler', 'handling', 'handling'],
      ['summon', 'centre_operator', 'handling', 'handling'],
      ['assist_accept', 'department_handler', 'handling', 'handling'],
      ['assist_done', 'department_handler', 'handling', 'handling'],
      ['assist_done', 'department_handler', 'handling', 'handling'],
      ['assist_done', 'department_handler', 'handling', 'handling'],
      ['assist_done', 'department_handler', 'handling', 'handling'],
      ['assist_accept', 'department_handler', 'handling', 'handling'],
      ['assist_done', 'department_handler', 'handling', 'handling'],
      ['handle', 'post_handler', 'handling', 'handled'],
      ['verify_pass', 'centre_operator', 'handled', 'feedback'],
      ['rate_ok', 'resident', 'feedback', 'closed'],
    ]);
    const u = s.town.storyUsers;
    expect(detail.timeline.map((e) => e.actorUserId)).toEqual([
      s.town.users.worker12, s.town.users.centre, s.town.users.centre, s.town.users.post, s.town.users.post, s.town.users.centre,
      u.traffic, u.traffic, u.school, u.property, s.town.users.dept, u.enforcement, u.enforcement, s.town.users.post, s.town.users.centre, u.resident12,
    ]);
    expect(detail.assignments.map((a) => a.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);

    // Statistics afterwards, today: one patrol report at street level, handled, rated satisfied.
    const today = beijingDay();
    const dueDay = beijingDay(due);
    const dueCounted = dueDay <= today ? { due: 1, closed: 1, closedOnTime: 1, onTimeRate: 1 } : { due: 0, closed: 0, closedOnTime: 0, onTimeRate: null };
    const hours = hoursBetween(closed.registeredAt, closed.closedAt);
    for (const node of [s.town.g12, s.town.c1, s.town.town]) {
      const s = await summary(centre, node.id, today);
      expect(s.reported).toMatchObject({ total: 1, bySource: { patrol: 1 }, byLevel: { town: 1 }, byStatus: { closed: 1 }, byCategory: [{ code: 'S06001', n: 1 }] });
      expect(s).toMatchObject({ ...dueCounted, rated: 1, satisfied: 1, basically: 0, dissatisfied: 0, satisfactionRate: 1, handled: 1, reworked: 0, closes: 1, escalated: 0, overdueNow: 0 });
      expect(s.averageHandlingHours).toBeCloseTo(hours, 3);
    }
    // The post and every department that worked on it, the summoned one included.
    expect(await handlerLine(centre, s.town.town.id, 'post', s.town.post.id, today)).toMatchObject({ ...dueCounted, handled: 1, rated: 1, satisfied: 1, satisfactionRate: 1, closes: 1, overdueNow: 0 });
    for (const deptId of [d.traffic.id, d.school.id, d.property.id, s.town.police.id, d.enforcement.id]) {
      expect(await handlerLine(centre, s.town.c1.id, 'department', deptId, today)).toMatchObject({ ...dueCounted, handled: 1, rated: 1, satisfied: 1, closes: 1, overdueNow: 0 });
    }
    // On its due day the matter counts as closed on time, for the area and for the post.
    await onDay(new Date(due.getTime() + 60_000), async () => {
      const later = await s.as('t_centre');
      expect(await summary(later, s.town.town.id, today, dueDay)).toMatchObject({ due: 1, closed: 1, closedOnTime: 1, closureRate: 1, onTimeRate: 1, overdueNow: 0 });
      expect(await handlerLine(later, s.town.town.id, 'post', s.town.post.id, today, dueDay)).toMatchObject({ due: 1, closed: 1, closedOnTime: 1, onTimeRate: 1 });
      expect(await handlerLine(later, s.town.c1.id, 'department', d.enforcement.id, today, dueDay)).toMatchObject({ due: 1, closed: 1, closedOnTime: 1, onTimeRate: 1 });
    });
  });
});
