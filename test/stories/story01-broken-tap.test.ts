import { describe, expect, it } from 'vitest';
import { addDeadline, defaultCalendarConfig } from '../../src/core/calendar/calendar.ts';
import { chinaCalendarOverrides } from '../../src/core/calendar/china-holidays.ts';
import { uploadPhoto } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';

// Story 1: a retired resident's water stops; he messages the grid worker in the group; she visits;
// a broken tap; fixed the same day (家事, simple, closed in the grid).
describe('story 1 — the broken tap, closed in the grid', () => {
  const t = useTestTown();
  const [worker, community, resident] = t.actors('t_worker11', 't_staff1', 't_resident');

  it('runs collect → assign → handle → feed back → evaluate with an owner at every step', async () => {
    // Collect: the grid worker records what 王大爷 wrote in the group, with a photo.
    const photo = await uploadPhoto(t.app, await t.login('t_worker11'));
    const reported = await worker.ok<{ id: number; status: string; ownerNodeId: number; level: string; categoryId: number }>('POST', '/api/matters', {
      source: 'group_message', channel: 'phone', description: '王大爷在群里说家里没水了，厨房水龙头坏了', location: { buildingId: t.town.building.id },
      reporter: { residentId: t.town.residents.r11 }, photos: [photo],
    });
    expect(reported).toMatchObject({ status: 'reported', ownerNodeId: t.town.town.id, level: 'grid' });
    const id = reported.id;

    // Triage: the community registers it as a household matter (家事) at grid level; the community owns it.
    const suggestion = await community.ok<{ category: { code: string } }>('GET', `/api/matters/${id}/suggestion`);
    expect(suggestion.category.code).toBe('S03002');
    const registered = await community.step(id, 'register', { categoryCode: 'S03002', scope: 'household', complexity: 'simple' });
    expect(registered).toMatchObject({ status: 'registered', level: 'grid', ownerNodeId: t.town.c1.id });

    // Assign: dispatched to the grid itself, due in one working day.
    const before = new Date();
    const dispatched = await community.step(id, 'dispatch', { lead: { kind: 'node', id: t.town.g11.id } });
    const cfg = defaultCalendarConfig(chinaCalendarOverrides());
    const expectedDue = addDeadline(before, 1, 'working_days', cfg);
    expect(dispatched.status).toBe('dispatched');
    expect(Math.abs(new Date(dispatched.dueAt ?? 0).getTime() - expectedDue.getTime())).toBeLessThan(60_000);

    // Handle: she accepts, visits, replaces the tap the same day.
    expect((await worker.step(id, 'accept')).status).toBe('handling');
    await worker.step(id, 'progress', { note: '上门查看：水龙头阀芯损坏', photos: [] });
    const handled = await worker.step(id, 'handle', { note: '更换水龙头，已恢复供水', photos: [photo] });
    expect(handled.status).toBe('handled');

    // Feed back: the community verifies, 王大爷 is told in the app.
    expect((await community.step(id, 'verify', { passed: true, note: '已电话确认恢复供水' })).status).toBe('feedback');
    const notices = await t.deps.db.selectFrom('notices').selectAll().where('matter_id', '=', id).execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ resident_id: t.town.residents.r11, kind: 'matter.feedback' });
    const inbox = await resident.ok<{ items: { id: number; body: string }[]; unread: number }>('GET', '/api/notices');
    expect(inbox.unread).toBe(1);
    expect(inbox.items[0]?.body).toContain('已处理完毕');
    await resident.ok('POST', `/api/notices/${inbox.items[0]?.id}/read`);
    expect((await resident.ok<{ unread: number }>('GET', '/api/notices')).unread).toBe(0);

    // Evaluate: he rates it; the matter closes on time.
    const closed = await resident.step(id, 'rate', { satisfaction: 'satisfied', comment: '小刘来得很快，谢谢' });
    expect(closed).toMatchObject({ status: 'closed', stage: 5, satisfaction: 'satisfied', closedOnTime: true });

    const detail = await community.matter(id);
    expect(detail.timeline.map((e) => e.action)).toEqual(['report', 'register', 'dispatch', 'accept', 'progress', 'handle', 'verify_pass', 'rate_ok']);
    expect(detail.timeline.map((e) => e.actorRole)).toEqual(['grid_worker', 'community_staff', 'community_staff', 'grid_worker', 'grid_worker', 'grid_worker', 'community_staff', 'resident']);
    expect(detail.timeline.map((e) => [e.statusBefore, e.statusAfter])).toEqual([
      [null, 'reported'], ['reported', 'registered'], ['registered', 'dispatched'], ['dispatched', 'handling'], ['handling', 'handling'],
      ['handling', 'handled'], ['handled', 'feedback'], ['feedback', 'closed'],
    ]);
    expect(detail.assignments).toMatchObject([{ role: 'lead', targetKind: 'node', targetId: t.town.g11.id, status: 'done' }]);
    expect(detail.photos.map((p) => p.stage)).toEqual(['report', 'result']);

    // The public page shows the six stages and nothing personal.
    const pub = await t.app.inject({ method: 'GET', url: `/api/public/matters/${detail.publicCode}` });
    expect(pub.json().stages.map((s: { reached: boolean }) => s.reached)).toEqual([true, true, true, true, true, true]);
    expect(pub.body).not.toContain('王建国');
    // Neither the reporter's phone nor any part of it (a timestamp like '…11.138Z' is not one).
    expect(pub.body).not.toContain('13812345678');
    expect(pub.body).not.toMatch(/138\*{4}5678|1381234/);
  });
});
