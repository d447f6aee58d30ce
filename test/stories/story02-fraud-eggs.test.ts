import { describe, expect, it } from 'vitest';
import { type MatterOut, uploadPhoto } from '../helpers/matters.ts';
import { useTestTown, within } from '../helpers/town.ts';
import { beijingDay, dueAfter, expectDueNear, full, handlerLine, hoursBetween, onDay, steps, summary } from './support.ts';

// Story 2: a grid worker photographs a "free eggs" pitch selling "miracle" liquor to old people and posts it
// to the staff group; the safety office judges it fraud and sends police and market supervision at once.
describe('story 2 — the "free eggs" pitch, police and market supervision at once', () => {
  const s = useTestTown({ seed: 'story', closeWithin: 5_000 });
  const [worker, centre, police, market] = s.actors('t_worker11', 't_centre', 't_police', 't_market');

  it('is judged fraud, dispatched urgently to two agencies, handled within two hours and closed by the centre', async () => {
    const marketId = s.town.departments.market.id;

    // Collect: on patrol she photographs the stall and reports it from her phone, marked urgent.
    const photo = await uploadPhoto(s.app, await s.login('t_worker11'));
    // The stall is at a street corner, not a building: the phone sends its position, which resolves to grid g11.
    const reported = await within(10_000, 'POST /api/matters with a point location', worker.ok<MatterOut>('POST', '/api/matters', {
      source: 'patrol', channel: 'phone', urgent: true, location: { lng: 106.505, lat: 29.505 }, photos: [photo],
      description: '花园路口有人摆摊免费送鸡蛋，拉着十几位老人听讲座，推销包治百病的保健酒，一瓶卖980元',
    }));
    expect(reported).toMatchObject({ status: 'reported', urgent: true, areaNodeId: s.town.g11.id, gridId: s.town.g11.id, ownerNodeId: s.town.town.id, level: 'town', reporter: { userId: s.town.users.worker11, residentId: null } });
    const id = reported.id;

    // Triage: the centre's safety board judges it fraud and false advertising (公事: the street owns it).
    const suggestion = await centre.ok<{ category: { code: string }; urgent: boolean; level: string }>('GET', `/api/matters/${id}/suggestion`);
    expect(suggestion).toMatchObject({ category: { code: 'S04001' }, urgent: true, level: 'town' });
    const registered = await centre.step(id, 'register', { categoryCode: 'S04001', scope: 'public', complexity: 'general', note: '以免费送鸡蛋为诱饵虚假宣传保健酒，涉嫌诈骗老人' });
    expect(registered).toMatchObject({ status: 'registered', level: 'town', ownerNodeId: s.town.town.id, urgent: true, scope: 'public', complexity: 'general', leadBoardId: s.town.board.id, dueAt: null });

    // Assign at once: police lead, market supervision assists; due in two natural hours.
    const before = new Date();
    const dispatched = await centre.step(id, 'dispatch', {
      lead: { kind: 'department', id: s.town.police.id }, assists: [{ kind: 'department', id: marketId }], note: '立即出警，市场监管同步查处',
    });
    const due = dueAfter(before, 2, 'natural_hours');
    expect(dispatched).toMatchObject({ status: 'dispatched', ownerNodeId: s.town.town.id, level: 'town', urgent: true, overdue: false });
    expectDueNear(dispatched.dueAt, due);
    expect(Math.abs(new Date(dispatched.dueAt ?? 0).getTime() - before.getTime() - 2 * 3600_000)).toBeLessThan(60_000);
    let detail = await centre.matter(id);
    expect(detail.assignments).toMatchObject([
      { role: 'lead', targetKind: 'department', targetId: s.town.police.id, targetName: '观音桥派出所', status: 'pending', summoned: false },
      { role: 'assist', targetKind: 'department', targetId: marketId, targetName: '观音桥市场监管所', status: 'pending', summoned: false },
    ]);
    // Both agencies find it in their inbox.
    for (const handler of [police, market]) {
      const inbox = await handler.ok<{ items: { id: number; urgent: boolean }[] }>('GET', '/api/matters?mine=assigned');
      expect(inbox.items).toMatchObject([{ id, urgent: true }]);
    }

    // Handle: both accept; market supervision seizes the liquor; the police disperse the pitch.
    expect(await police.step(id, 'accept')).toMatchObject({ status: 'handling', ownerNodeId: s.town.town.id });
    expect(await market.step(id, 'accept')).toMatchObject({ status: 'handling', ownerNodeId: s.town.town.id });
    expect((await centre.matter(id)).assignments.map((a) => a.status)).toEqual(['accepted', 'accepted']);
    expect(await market.step(id, 'assist-done', { note: '查扣无证保健酒24瓶，对经营者立案调查', photos: [] })).toMatchObject({ status: 'handling' });
    expect((await centre.matter(id)).assignments.map((a) => a.status)).toEqual(['accepted', 'done']);
    const resultPhoto = await uploadPhoto(s.app, await s.login('t_police'));
    const handled = full(await police.step(id, 'handle', { note: '现场劝离老人，传唤组织者，讲座场地已清理', photos: [resultPhoto] }));
    expect(handled).toMatchObject({ status: 'handled', ownerNodeId: s.town.town.id });
    expect(new Date(handled.handledAt ?? 0).getTime()).toBeLessThanOrEqual(new Date(handled.dueAt ?? 0).getTime());

    // Feed back and close: the centre verifies; the reporter is staff, so nobody rates and the centre closes it.
    expect(await centre.step(id, 'verify', { passed: true, note: '回看现场照片，摊点已撤' })).toMatchObject({ status: 'feedback', stage: 4 });
    const notices = await s.deps.db.selectFrom('notices').select(['user_id', 'resident_id', 'kind']).where('matter_id', '=', id).execute();
    expect(notices).toEqual([{ user_id: s.town.users.worker11, resident_id: null, kind: 'matter.feedback' }]);
    const closed = full(await centre.step(id, 'close', { note: '网格员上报，核查属实，已处置' }));
    expect(closed).toMatchObject({ status: 'closed', stage: 5, ownerNodeId: s.town.town.id, level: 'town', urgent: true, closedOnTime: true, satisfaction: null });

    detail = await centre.matter(id);
    expect(steps(detail)).toEqual([
      ['report', 'grid_worker', null, 'reported'],
      ['register', 'centre_operator', 'reported', 'registered'],
      ['dispatch', 'centre_operator', 'registered', 'dispatched'],
      ['accept', 'department_handler', 'dispatched', 'handling'],
      ['assist_accept', 'department_handler', 'handling', 'handling'],
      ['assist_done', 'department_handler', 'handling', 'handling'],
      ['handle', 'department_handler', 'handling', 'handled'],
      ['verify_pass', 'centre_operator', 'handled', 'feedback'],
      ['close', 'centre_operator', 'feedback', 'closed'],
    ]);
    expect(detail.timeline.map((e) => e.actorUserId)).toEqual([
      s.town.users.worker11, s.town.users.centre, s.town.users.centre, s.town.users.dept, s.town.storyUsers.market, s.town.storyUsers.market, s.town.users.dept, s.town.users.centre, s.town.users.centre,
    ]);
    expect(detail.timeline.filter((e) => e.action === 'assist_done')).toMatchObject([{ details: { assist: 'done' }, note: '查扣无证保健酒24瓶，对经营者立案调查' }]);
    expect(detail.assignments.map((a) => [a.role, a.status])).toEqual([['lead', 'done'], ['assist', 'done']]);
    expect(detail.photos.map((p) => p.stage)).toEqual(['report', 'result']);
    expect(detail.category).toMatchObject({ code: 'S04001', name: '诈骗与虚假宣传' });

    // Statistics afterwards, today (Beijing): one urgent patrol report at street level, handled and closed.
    const today = beijingDay();
    const dueDay = beijingDay(new Date(closed.dueAt ?? 0));
    const dueToday = dueDay <= today ? { due: 1, closed: 1, closedOnTime: 1, closureRate: 1, onTimeRate: 1 } : { due: 0, closed: 0, closedOnTime: 0, closureRate: null, onTimeRate: null };
    const hours = hoursBetween(closed.registeredAt, closed.closedAt);
    for (const node of [s.town.g11, s.town.c1, s.town.town]) {
      const s = await summary(centre, node.id, today);
      expect(s.reported).toMatchObject({ total: 1, bySource: { patrol: 1 }, byLevel: { town: 1 }, byStatus: { closed: 1 }, byCategory: [{ code: 'S04001', n: 1 }] });
      expect(s).toMatchObject({ ...dueToday, handled: 1, reworked: 0, reworkRate: 0, rated: 0, satisfactionRate: null, closes: 1, suspended: 0, extended: 0, escalated: 0, overdueNow: 0 });
      expect(s.averageHandlingHours).toBeCloseTo(hours, 3);
    }
    // Both agencies are credited with the handled matter; each sees its own line.
    for (const [who, deptId] of [[police, s.town.police.id], [market, marketId]] as const) {
      const line = await handlerLine(centre, s.town.town.id, 'department', deptId, today);
      expect(line).toMatchObject({ ...dueToday, handled: 1, reworked: 0, closes: 1, rated: 0, overdueNow: 0 });
      expect(await handlerLine(who, s.town.town.id, 'department', deptId, today)).toEqual(line);
    }
    // On the due day (today, unless the two hours crossed midnight) the matter counts as closed on time.
    const onDue = await onDay(new Date(new Date(closed.dueAt ?? 0).getTime() + 60_000), async () => summary(await s.as('t_centre'), s.town.town.id, today, dueDay));
    expect(onDue).toMatchObject({ due: 1, closed: 1, closedOnTime: 1, closureRate: 1, onTimeRate: 1 });
  });
});
