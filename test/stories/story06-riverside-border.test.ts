import { describe, expect, it } from 'vitest';
import { expectError } from '../helpers/app.ts';
import type { MatterOut } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';
import { beijingDay, dueAfter, expectDueNear, full, handlerLine, onDay, steps, summary } from './support.ts';

// Story 6: a 200 m riverside path on the border of two districts is filthy and nobody owns it; the matter goes
// up through the platform; the districts split the duty (one clean-up, the other daily upkeep).
describe('story 6 — the riverside path nobody owns, taken up to the district', () => {
  const s = useTestTown({ seed: 'story', closeWithin: 5_000 });
  const [centre, district, cleanup, sanitation] = s.actors('t_centre', 't_dcentre', 't_cleanup', 't_sanitation');

  it('is escalated to the district, which owns it while the street still sees it, and splits the duty across the border', async () => {
    const d = s.town.departments;

    // Collect: a citizen calls 12345; the street's centre records it at the street itself (no grid holds the path).
    const reported = full(await centre.ok<MatterOut>('POST', '/api/matters', {
      source: 'hotline', channel: 'phone', location: { nodeId: s.town.town.id }, address: '嘉陵江滨江步道（江北、沙坪坝交界段，约200米）',
      description: '滨江步道两区交界那200米垃圾成堆、污水横流，脏乱差好几个月了，一直没人打扫',
      reporter: { contactName: '刘女士', contactPhone: '13900001234' },
    }));
    expect(reported).toMatchObject({ status: 'reported', areaNodeId: s.town.town.id, gridId: null, ownerNodeId: s.town.town.id, reporter: { userId: s.town.users.centre, contactName: '刘女士', contactPhone: expect.not.stringContaining('13900001234') } });
    const id = reported.id;

    // Triage: a public matter for the street first.
    expect(await centre.ok('GET', `/api/matters/${id}/suggestion`)).toMatchObject({ category: { code: 'S07001' } });
    expect(await centre.step(id, 'register', { categoryCode: 'S07001', scope: 'public', complexity: 'general' })).toMatchObject({ status: 'registered', level: 'town', ownerNodeId: s.town.town.id });

    // The street cannot settle a path on the district border: it takes it up to the district, which now owns it.
    const escalated = await centre.step(id, 'escalate', { toNodeId: s.town.district.id, reason: '步道位于江北、沙坪坝两区交界，权属不清，需区级统筹' });
    expect(escalated).toMatchObject({ status: 'registered', ownerNodeId: s.town.district.id, level: 'district', areaNodeId: s.town.town.id, counts: { escalated: 1 } });
    // Both see the trail: the street still reads it, but may no longer dispatch it.
    const seenByStreet = await centre.matter(id);
    expect(seenByStreet).toMatchObject({ ownerNodeId: s.town.district.id, level: 'district' });
    expect(await district.matter(id)).toEqual(seenByStreet);
    expectError(await centre.raw('POST', `/api/matters/${id}/dispatch`, { lead: { kind: 'department', id: d.cleanup.id } }), 403, 'FORBIDDEN');
    expect((await centre.matter(id)).timeline).toHaveLength(seenByStreet.timeline.length);

    // Assign: the district's centre splits the duty — 江北 cleans it up, 沙坪坝's sanitation keeps it clean.
    const before = new Date();
    const dispatched = await district.step(id, 'dispatch', {
      lead: { kind: 'department', id: d.cleanup.id }, assists: [{ kind: 'department', id: d.sanitation.id }],
      note: '江北区城市管理局负责集中清理，沙坪坝区环卫所负责日常保洁',
    });
    const due = dueAfter(before, 3, 'working_days');
    expect(dispatched).toMatchObject({ status: 'dispatched', ownerNodeId: s.town.district.id, level: 'district' });
    expectDueNear(dispatched.dueAt, due);
    expect((await district.matter(id)).assignments.map((a) => [a.role, a.targetId, a.targetName, a.status])).toEqual([
      ['lead', d.cleanup.id, '江北区城市管理局', 'pending'], ['assist', d.sanitation.id, '沙坪坝区环卫所', 'pending'],
    ]);

    // Handle: both accept; the daily upkeep is set up; the clean-up is done.
    expect(await cleanup.step(id, 'accept')).toMatchObject({ status: 'handling', ownerNodeId: s.town.district.id });
    await sanitation.step(id, 'accept');
    await sanitation.step(id, 'assist-done', { note: '交界段纳入沙坪坝环卫日常保洁范围，每日巡扫', photos: [] });
    expect(await cleanup.step(id, 'handle', { note: '集中清运垃圾3吨，疏通排污口', photos: [] })).toMatchObject({ status: 'handled', ownerNodeId: s.town.district.id });

    // Feed back and close: the district verifies and closes it (the caller is told by phone; nobody rates in the app).
    expect(await district.step(id, 'verify', { passed: true, note: '实地查看，步道已干净' })).toMatchObject({ status: 'feedback' });
    const closed = full(await district.step(id, 'close', { note: '两区分工：江北清理，沙坪坝日常保洁' }));
    expect(closed).toMatchObject({ status: 'closed', ownerNodeId: s.town.district.id, level: 'district', closedOnTime: true, counts: { escalated: 1 } });
    // The street still sees the whole trail after closing.
    const detail = await centre.matter(id);
    expect(steps(detail)).toEqual([
      ['report', 'centre_operator', null, 'reported'],
      ['register', 'centre_operator', 'reported', 'registered'],
      ['escalate', 'centre_operator', 'registered', 'registered'],
      ['dispatch', 'centre_operator', 'registered', 'dispatched'],
      ['accept', 'department_handler', 'dispatched', 'handling'],
      ['assist_accept', 'department_handler', 'handling', 'handling'],
      ['assist_done', 'department_handler', 'handling', 'handling'],
      ['handle', 'department_handler', 'handling', 'handled'],
      ['verify_pass', 'centre_operator', 'handled', 'feedback'],
      ['close', 'centre_operator', 'feedback', 'closed'],
    ]);
    const u = s.town.storyUsers;
    expect(detail.timeline.map((e) => e.actorUserId)).toEqual([
      s.town.users.centre, s.town.users.centre, s.town.users.centre, u.districtCentre, u.cleanup, u.sanitation, u.sanitation, u.cleanup, u.districtCentre, u.districtCentre,
    ]);
    expect(detail.timeline[2]).toMatchObject({ details: { from: s.town.town.id, to: s.town.district.id } });
    expect(detail.assignments.map((a) => a.status)).toEqual(['done', 'done']);
    // Each department sees it; another district's centre does not.
    expect((await sanitation.matter(id)).status).toBe('closed');
    expectError(await (await s.as('t_dcentre2')).raw('GET', `/api/matters/${id}`), 404, 'NOT_FOUND');

    // Statistics afterwards, today: located at the street, owned at district level, escalated once.
    const today = beijingDay();
    for (const [reader, nodeId] of [[centre, s.town.town.id], [district, s.town.district.id]] as const) {
      const s = await summary(reader, nodeId, today);
      expect(s.reported).toMatchObject({ total: 1, bySource: { hotline: 1 }, byLevel: { district: 1, town: 0 }, byStatus: { closed: 1 }, byCategory: [{ code: 'S07001', n: 1 }] });
      expect(s).toMatchObject({ escalated: 1, handled: 1, closes: 1, rated: 0, reworked: 0, overdueNow: 0 });
    }
    // Not under any community.
    expect(await summary(centre, s.town.c1.id, today)).toMatchObject({ reported: { total: 0 }, escalated: 0, handled: 0 });
    // Each district's department is credited: 江北's read by its centre, 沙坪坝's by its own centre and by itself.
    expect(await handlerLine(district, s.town.district.id, 'department', d.cleanup.id, today)).toMatchObject({ handled: 1, closes: 1, overdueNow: 0 });
    const dcentre2 = await s.as('t_dcentre2');
    const sanitationLine = await handlerLine(dcentre2, s.town.district2.id, 'department', d.sanitation.id, today);
    expect(sanitationLine).toMatchObject({ handled: 1, closes: 1, overdueNow: 0 });
    expect(await handlerLine(sanitation, s.town.district2.id, 'department', d.sanitation.id, today)).toEqual(sanitationLine);
    // On the due day it counts as closed on time for the district, the street and both departments.
    const dueDay = beijingDay(due);
    await onDay(new Date(due.getTime() + 60_000), async () => {
      const later = await s.as('t_dcentre');
      for (const nodeId of [s.town.district.id, s.town.town.id]) {
        expect(await summary(later, nodeId, today, dueDay)).toMatchObject({ due: 1, closed: 1, closedOnTime: 1, onTimeRate: 1, escalated: 1 });
      }
      expect(await handlerLine(later, s.town.district.id, 'department', d.cleanup.id, today, dueDay)).toMatchObject({ due: 1, closedOnTime: 1 });
      expect(await handlerLine(await s.as('t_sanitation'), s.town.district2.id, 'department', d.sanitation.id, today, dueDay)).toMatchObject({ due: 1, closedOnTime: 1 });
    });
  });
});
