import { describe, expect, it } from 'vitest';
import { type MatterOut, uploadPhoto } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';
import { beijingDay, dueAfter, expectDueNear, full, handlerLine, onDay, steps, summary } from './support.ts';

// Story 11: a pool railing is loose; the grid, owners' committee and property company fix it; the photo goes
// back to the group.
describe('story 11 — the loose pool railing, fixed on the second try', () => {
  const s = useTestTown({ seed: 'story', closeWithin: 5_000 });
  const [resident, community, worker, owners, property] = s.actors('t_resident', 't_staff1', 't_worker11', 't_owners', 't_property');

  it('fails its first verification, is fixed with a result photo, and the resident rates it basically satisfied', async () => {
    const d = s.town.departments;

    // Collect: 王建国 reports it from his phone with a photo.
    const photo = await uploadPhoto(s.app, await s.login('t_resident'));
    const reported = full(await resident.ok<MatterOut>('POST', '/api/matters', {
      source: 'resident_report', channel: 'phone', location: { buildingId: s.town.building.id }, address: '花园小区泳池', photos: [photo],
      description: '小区泳池边的栏杆松了，晃得厉害，小孩扶着很危险',
    }));
    expect(reported).toMatchObject({ status: 'reported', areaNodeId: s.town.g11.id, ownerNodeId: s.town.town.id, reporter: { residentId: s.town.residents.r11, userId: s.town.users.resident } });
    const id = reported.id;

    // Triage: the community registers it as a grid matter; the community owns it.
    expect(await community.ok('GET', `/api/matters/${id}/suggestion`)).toMatchObject({ category: { code: 'S08001' }, level: 'grid' });
    const registered = await community.step(id, 'register', { categoryCode: 'S08001', level: 'grid', complexity: 'simple' });
    expect(registered).toMatchObject({ status: 'registered', level: 'grid', ownerNodeId: s.town.c1.id });

    // Assign: the grid leads; the owners' committee and the property company assist; two working days.
    const before = new Date();
    const dispatched = await community.step(id, 'dispatch', {
      lead: { kind: 'node', id: s.town.g11.id }, assists: [{ kind: 'department', id: d.owners.id }, { kind: 'department', id: d.property.id }],
    });
    const due = dueAfter(before, 2, 'working_days');
    expect(dispatched).toMatchObject({ status: 'dispatched', ownerNodeId: s.town.c1.id, level: 'grid' });
    expectDueNear(dispatched.dueAt, due);
    expect((await community.matter(id)).assignments.map((a) => [a.role, a.targetKind, a.targetId, a.targetName, a.status])).toEqual([
      ['lead', 'node', s.town.g11.id, '花园1网格', 'pending'],
      ['assist', 'department', d.owners.id, '花园小区业主委员会', 'pending'],
      ['assist', 'department', d.property.id, '花园物业公司', 'pending'],
    ]);

    // Handle, first try: a quick fix.
    expect(await worker.step(id, 'accept')).toMatchObject({ status: 'handling', ownerNodeId: s.town.c1.id });
    await owners.step(id, 'assist-done', { note: '业委会同意动用公共维修资金', photos: [] });
    await property.step(id, 'accept');
    await property.step(id, 'assist-done', { note: '物业安排维修工临时加固', photos: [] });
    expect(await worker.step(id, 'handle', { note: '物业已临时加固栏杆', photos: [] })).toMatchObject({ status: 'handled', ownerNodeId: s.town.c1.id });

    // The community's check fails: back to the grid.
    const failed = await community.step(id, 'verify', { passed: false, note: '复查栏杆仍有晃动，需更换膨胀螺栓' });
    expect(failed).toMatchObject({ status: 'handling', ownerNodeId: s.town.c1.id, counts: { verifyFailed: 1, reopened: 0 } });
    expect((await community.matter(id)).assignments.map((a) => [a.role, a.status])).toEqual([['lead', 'accepted'], ['assist', 'done'], ['assist', 'done']]);
    expect(await s.deps.db.selectFrom('notices').select('id').where('matter_id', '=', id).execute()).toEqual([]);

    // Second try, with a result photo.
    const result = await uploadPhoto(s.app, await s.login('t_worker11'), photoBytes());
    expect(await worker.step(id, 'handle', { note: '更换全部膨胀螺栓，栏杆已牢固', photos: [result] })).toMatchObject({ status: 'handled' });
    expect(await community.step(id, 'verify', { passed: true, note: '现场复查，栏杆牢固' })).toMatchObject({ status: 'feedback' });
    // The photo goes back to 王建国.
    const notices = await s.deps.db.selectFrom('notices').select(['user_id', 'resident_id', 'kind']).where('matter_id', '=', id).execute();
    expect(notices).toEqual([{ user_id: s.town.users.resident, resident_id: s.town.residents.r11, kind: 'matter.feedback' }]);
    const closed = full(await resident.step(id, 'rate', { satisfaction: 'basically', comment: '修好了，就是第一次没修牢' }));
    expect(closed).toMatchObject({ status: 'closed', ownerNodeId: s.town.c1.id, level: 'grid', satisfaction: 'basically', closedOnTime: true, counts: { verifyFailed: 1 } });

    const detail = await resident.matter(id);
    expect(steps(detail)).toEqual([
      ['report', 'resident', null, 'reported'],
      ['register', 'community_staff', 'reported', 'registered'],
      ['dispatch', 'community_staff', 'registered', 'dispatched'],
      ['accept', 'grid_worker', 'dispatched', 'handling'],
      ['assist_done', 'department_handler', 'handling', 'handling'],
      ['assist_accept', 'department_handler', 'handling', 'handling'],
      ['assist_done', 'department_handler', 'handling', 'handling'],
      ['handle', 'grid_worker', 'handling', 'handled'],
      ['verify_fail', 'community_staff', 'handled', 'handling'],
      ['handle', 'grid_worker', 'handling', 'handled'],
      ['verify_pass', 'community_staff', 'handled', 'feedback'],
      ['rate_ok', 'resident', 'feedback', 'closed'],
    ]);
    const u = s.town.storyUsers;
    expect(detail.timeline.map((e) => e.actorUserId)).toEqual([
      s.town.users.resident, s.town.users.staff1, s.town.users.staff1, s.town.users.worker11, u.owners, u.property, u.property, s.town.users.worker11,
      s.town.users.staff1, s.town.users.worker11, s.town.users.staff1, s.town.users.resident,
    ]);
    expect(detail.timeline.find((e) => e.action === 'verify_fail')?.note).toBe('复查栏杆仍有晃动，需更换膨胀螺栓');
    expect(detail.photos).toEqual([{ hash: photo, stage: 'report', eventId: expect.any(Number) }, { hash: result, stage: 'result', eventId: expect.any(Number) }]);
    expect(detail.assignments.map((a) => a.status)).toEqual(['done', 'done', 'done']);
    // The public page shows the outcome with no names.
    const pub = await s.app.inject({ method: 'GET', url: `/api/public/matters/${detail.publicCode}` });
    expect(pub.json()).toMatchObject({ status: 'closed', result: '更换全部膨胀螺栓，栏杆已牢固', satisfaction: 'basically' });
    expect(pub.body).not.toContain('王建国');

    // Statistics afterwards, today: rework rate 1/2 (one failed verification over two handlings).
    const today = beijingDay();
    const centre = await s.as('t_centre');
    for (const [reader, node] of [[worker, s.town.g11], [community, s.town.c1], [centre, s.town.town]] as const) {
      const s = await summary(reader, node.id, today);
      expect(s.reported).toMatchObject({ total: 1, bySource: { resident_report: 1 }, byLevel: { grid: 1 }, byStatus: { closed: 1 }, byCategory: [{ code: 'S08001', n: 1 }] });
      expect(s).toMatchObject({ handled: 2, reworked: 1, reworkRate: 0.5, rated: 1, satisfied: 0, basically: 1, dissatisfied: 0, satisfactionRate: 1, closes: 1, overdueNow: 0 });
    }
    for (const deptId of [d.owners.id, d.property.id]) {
      expect(await handlerLine(community, s.town.c1.id, 'department', deptId, today)).toMatchObject({ handled: 2, reworked: 1, reworkRate: 0.5, rated: 1, basically: 1, satisfactionRate: 1 });
    }
    const dueDay = beijingDay(due);
    await onDay(new Date(due.getTime() + 60_000), async () => {
      expect(await summary(await s.as('t_staff1'), s.town.g11.id, today, dueDay)).toMatchObject({ due: 1, closed: 1, closedOnTime: 1, onTimeRate: 1, reworkRate: 0.5 });
    });
  });
});

/** A second, different valid PNG (2×1 pixels), so the result photo has its own hash. */
function photoBytes(): Buffer {
  return Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000010806000000f478d4fa0000000d4944415478da63f8cfc0f01f0005000201e2d2a4f30000000049454e44ae426082', 'hex');
}
