import { describe, expect, it } from 'vitest';
import type { MatterOut } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';
import { beijingDay, dueAfter, expectDueNear, full, handlerLine, hoursBetween, onDay, steps, summary } from './support.ts';

// Story 5: a shop breaks a promised gift; a citizen complains through the city app; market supervision
// (joint-duty post) leads, the community assists; closed in 2 days; the citizen is satisfied.
describe('story 5 — the broken gift promise, from the city app to a satisfied citizen', () => {
  const s = useTestTown({ seed: 'story', closeWithin: 5_000 });
  const [citizen, centre, market, community] = s.actors('t_resident21', 't_centre', 't_market', 't_staff2');

  it('is led by market supervision with the community, closed within two working days and rated satisfied', async () => {
    const marketId = s.town.departments.market.id;

    // Collect: 张伟 complains from his phone through the city's app; he is the reporter of record.
    const reported = full(await citizen.ok<MatterOut>('POST', '/api/matters', {
      source: 'resident_report', channel: 'phone', location: { nodeId: s.town.g21.id }, address: '建新路某超市',
      description: '建新路超市办储值卡时承诺送电饭煲，充了钱以后赠品一直不兑现，商家说话不算数',
    }));
    expect(reported).toMatchObject({ status: 'reported', source: 'resident_report', areaNodeId: s.town.g21.id, ownerNodeId: s.town.town.id, reporter: { residentId: s.town.residents.r21, userId: s.town.storyUsers.resident21 } });
    const id = reported.id;
    expect((await citizen.matter(id)).status).toBe('reported');

    // Triage: a consumer dispute for the street, under the economy board.
    expect(await centre.ok('GET', `/api/matters/${id}/suggestion`)).toMatchObject({ category: { code: 'S05001' }, level: 'town' });
    const registered = await centre.step(id, 'register', { categoryCode: 'S05001' });
    expect(registered).toMatchObject({ status: 'registered', level: 'town', ownerNodeId: s.town.town.id, leadBoardId: s.town.economy.id });

    // Assign: market supervision (the joint-duty post) leads, 建新社区 assists; due in two working days.
    const before = new Date();
    const dispatched = await centre.step(id, 'dispatch', { lead: { kind: 'department', id: marketId }, assists: [{ kind: 'node', id: s.town.c2.id }] });
    const due = dueAfter(before, 2, 'working_days');
    expect(dispatched).toMatchObject({ status: 'dispatched', ownerNodeId: s.town.town.id });
    expectDueNear(dispatched.dueAt, due);
    expect((await centre.matter(id)).assignments.map((a) => [a.role, a.targetKind, a.targetId, a.status])).toEqual([
      ['lead', 'department', marketId, 'pending'], ['assist', 'node', s.town.c2.id, 'pending'],
    ]);

    // Handle: the community brings the shop and the citizen together; market supervision settles it.
    expect(await market.step(id, 'accept')).toMatchObject({ status: 'handling', ownerNodeId: s.town.town.id });
    await community.step(id, 'assist-done', { note: '社区约商家与张先生面谈，核实办卡记录', photos: [] });
    expect(await market.step(id, 'handle', { note: '约谈商家，商家补发电饭煲并书面道歉', photos: [] })).toMatchObject({ status: 'handled' });

    // Feed back and evaluate: verified, the citizen is told in the app, he rates it satisfied.
    expect(await centre.step(id, 'verify', { passed: true, note: '电话回访，赠品已领取' })).toMatchObject({ status: 'feedback' });
    const notices = await s.deps.db.selectFrom('notices').select(['user_id', 'resident_id', 'kind']).where('matter_id', '=', id).execute();
    expect(notices).toEqual([{ user_id: s.town.storyUsers.resident21, resident_id: s.town.residents.r21, kind: 'matter.feedback' }]);
    const closed = full(await citizen.step(id, 'rate', { satisfaction: 'satisfied', comment: '两天就解决了，点赞' }));
    expect(closed).toMatchObject({ status: 'closed', stage: 5, ownerNodeId: s.town.town.id, level: 'town', satisfaction: 'satisfied', closedOnTime: true });
    expect(new Date(closed.closedAt ?? 0).getTime() - new Date(closed.reportedAt ?? 0).getTime()).toBeLessThan(2 * 86400_000);

    const detail = await centre.matter(id);
    expect(steps(detail)).toEqual([
      ['report', 'resident', null, 'reported'],
      ['register', 'centre_operator', 'reported', 'registered'],
      ['dispatch', 'centre_operator', 'registered', 'dispatched'],
      ['accept', 'department_handler', 'dispatched', 'handling'],
      ['assist_done', 'community_staff', 'handling', 'handling'],
      ['handle', 'department_handler', 'handling', 'handled'],
      ['verify_pass', 'centre_operator', 'handled', 'feedback'],
      ['rate_ok', 'resident', 'feedback', 'closed'],
    ]);
    expect(detail.timeline.map((e) => e.actorUserId)).toEqual([
      s.town.storyUsers.resident21, s.town.users.centre, s.town.users.centre, s.town.storyUsers.market, s.town.users.staff2, s.town.storyUsers.market, s.town.users.centre, s.town.storyUsers.resident21,
    ]);
    expect(detail.timeline.map((e) => e.channel)).toEqual(['phone', 'web', 'web', 'web', 'web', 'web', 'web', 'web']);
    expect(detail.assignments.map((a) => a.status)).toEqual(['done', 'done']);

    // Statistics afterwards, today: satisfaction 100 %.
    const today = beijingDay();
    const hours = hoursBetween(closed.registeredAt, closed.closedAt);
    for (const node of [s.town.g21, s.town.c2, s.town.town]) {
      const s = await summary(centre, node.id, today);
      expect(s.reported).toMatchObject({ total: 1, bySource: { resident_report: 1 }, byLevel: { town: 1 }, byStatus: { closed: 1 }, byCategory: [{ code: 'S05001', n: 1 }] });
      expect(s).toMatchObject({ rated: 1, satisfied: 1, basically: 0, dissatisfied: 0, satisfactionRate: 1, handled: 1, reworked: 0, reworkRate: 0, closes: 1, overdueNow: 0 });
      expect(s.averageHandlingHours).toBeCloseTo(hours, 3);
    }
    // Nothing of it is counted in 花园社区.
    expect(await summary(centre, s.town.c1.id, today)).toMatchObject({ reported: { total: 0 }, handled: 0, rated: 0, satisfactionRate: null });
    const line = await handlerLine(centre, s.town.c2.id, 'department', marketId, today);
    expect(line).toMatchObject({ rated: 1, satisfied: 1, satisfactionRate: 1, handled: 1, closes: 1, overdueNow: 0 });
    expect(await handlerLine(market, s.town.town.id, 'department', marketId, today)).toEqual(line); // its own line, read by itself

    // On the due day: closed on time, 100 %.
    const dueDay = beijingDay(due);
    await onDay(new Date(due.getTime() + 60_000), async () => {
      const later = await s.as('t_centre');
      for (const node of [s.town.c2, s.town.town]) {
        expect(await summary(later, node.id, today, dueDay)).toMatchObject({ due: 1, closed: 1, closedOnTime: 1, closureRate: 1, onTimeRate: 1, satisfactionRate: 1 });
      }
      expect(await handlerLine(later, s.town.town.id, 'department', marketId, today, dueDay)).toMatchObject({ due: 1, closedOnTime: 1, onTimeRate: 1, satisfactionRate: 1 });
    });
  });
});
