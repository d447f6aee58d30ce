import { describe, expect, it } from 'vitest';
import { expectError } from './helpers/app.ts';
import type { MatterDetail, MatterOut } from './helpers/matters.ts';
import { useTestTown } from './helpers/town.ts';

interface ReporterOut { source: string; name: string | null; phoneMasked: string | null; mayReveal: boolean }

describe('the reporter, reachable for the call back (回访)', () => {
  const t = useTestTown();
  const [centre, resident, worker11, worker12, staff2, police, head] = t.actors('t_centre', 't_resident', 't_worker11', 't_worker12', 't_staff2', 't_police', 't_head');
  const firstCategory = async () => (await t.deps.db.selectFrom('categories').select('code').where('status', '=', 'active').orderBy('id').executeTakeFirstOrThrow()).code;
  const reveals = async () => t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'pii.reveal').where('subject_type', '=', 'matter').orderBy('id').execute();
  const report = (who: typeof centre, reporter: Record<string, unknown>, source = 'hotline') =>
    who.ok<MatterOut>('POST', '/api/matters', { source, channel: 'phone', description: '楼道里的灯坏了好几天，晚上黑黢黢的莫得法走', location: { nodeId: t.town.g11.id }, reporter });

  it('shows a caller who gave a number masked, and reveals it with a reason, audited, to the staff who call back', async () => {
    const m = await report(centre, { contactName: '刘孃孃', contactPhone: '13911112222' });
    const seen = await centre.ok<ReporterOut>('GET', `/api/matters/${m.id}/reporter`);
    expect(seen).toEqual({ source: 'contact', name: '刘孃孃', phoneMasked: expect.stringMatching(/^139\*+2222$/), mayReveal: true });
    const raw = await centre.raw('GET', `/api/matters/${m.id}/reporter`);
    expect(raw.body).not.toContain('13911112222');

    const before = (await reveals()).length;
    const shown = await worker11.ok('POST', `/api/matters/${m.id}/reporter/reveal`, { reason: '回访：问灯修好没得' });
    expect(shown).toEqual({ source: 'contact', name: '刘孃孃', phone: '13911112222' });
    const rows = await reveals();
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ actor_user_id: t.town.users.worker11, subject_id: String(m.id) });
    expect(rows.at(-1)?.details).toMatchObject({ fields: ['phone'], reason: '回访：问灯修好没得', source: 'contact' });
  });

  it('reaches a resident who reported through their own record, and refuses without a reason or out of scope', async () => {
    const m = await report(resident, {}, 'resident_report');
    const seen = await centre.ok<ReporterOut>('GET', `/api/matters/${m.id}/reporter`);
    expect(seen).toMatchObject({ source: 'resident', name: '王建国', phoneMasked: expect.stringMatching(/^138\*+5678$/), mayReveal: true });
    const before = (await reveals()).length;

    // No reason: 400, and nothing is written.
    expectError(await centre.raw('POST', `/api/matters/${m.id}/reporter/reveal`, {}), 400, 'VALIDATION_FAILED');
    expectError(await centre.raw('POST', `/api/matters/${m.id}/reporter/reveal`, { reason: ' ' }), 400, 'VALIDATION_FAILED');
    // Another grid's worker and another community's staff do not see the matter at all; a handler sees no reporter.
    expectError(await worker12.raw('GET', `/api/matters/${m.id}/reporter`), 404, 'NOT_FOUND');
    expectError(await staff2.raw('POST', `/api/matters/${m.id}/reporter/reveal`, { reason: '回访' }), 404, 'NOT_FOUND');
    expectError(await head.raw('POST', `/api/matters/${m.id}/reporter/reveal`, { reason: '回访' }), 404, 'NOT_FOUND');
    expect((await reveals()).length).toBe(before);

    expect(await centre.ok('POST', `/api/matters/${m.id}/reporter/reveal`, { reason: '回访满意度' })).toEqual({ source: 'resident', name: '王建国', phone: '13812345678' });
    expect((await reveals()).length).toBe(before + 1);
  });

  it('refuses handlers who are not the staff of the place', async () => {
    const m = await report(centre, { contactName: '陈老汉儿', contactPhone: '13733334444' });
    await centre.step(m.id, 'register', { categoryCode: await firstCategory() });
    await centre.step(m.id, 'dispatch', { lead: { kind: 'department', id: t.town.police.id } });
    // The police see the matter they handle, not who reported it.
    expect((await police.matter(m.id)).id).toBe(m.id);
    expectError(await police.raw('GET', `/api/matters/${m.id}/reporter`), 403, 'FORBIDDEN');
    expectError(await police.raw('POST', `/api/matters/${m.id}/reporter/reveal`, { reason: '联系反映人' }), 403, 'FORBIDDEN');
  });

  it('names nobody for an anonymous report and says so when asked for the number', async () => {
    const m = await report(resident, { anonymous: true }, 'resident_report');
    expect(await centre.ok<ReporterOut>('GET', `/api/matters/${m.id}/reporter`)).toEqual({ source: 'anonymous', name: null, phoneMasked: null, mayReveal: false });
    const before = (await reveals()).length;
    expectError(await centre.raw('POST', `/api/matters/${m.id}/reporter/reveal`, { reason: '回访' }), 409, 'CONFLICT');
    expect((await reveals()).length).toBe(before);
  });

  it('says when a staff reporter left no number', async () => {
    const m = await report(worker11, {}, 'patrol');
    expect(await centre.ok<ReporterOut>('GET', `/api/matters/${m.id}/reporter`)).toEqual({ source: 'account', name: '网格员甲', phoneMasked: null, mayReveal: false });
    expectError(await centre.raw('POST', `/api/matters/${m.id}/reporter/reveal`, { reason: '回访' }), 404, 'NOT_FOUND');
  });

  it('records the call back on the timeline as a return visit once the result is verified', async () => {
    const m = await report(centre, { contactName: '刘孃孃', contactPhone: '13911112222' });
    await centre.step(m.id, 'register', { categoryCode: await firstCategory() });
    await centre.step(m.id, 'dispatch', { lead: { kind: 'department', id: t.town.police.id } });
    await police.step(m.id, 'accept');
    await police.step(m.id, 'handle', { note: '换了灯泡' });
    await centre.step(m.id, 'verify', { passed: true });
    await centre.ok('POST', `/api/matters/${m.id}/reporter/reveal`, { reason: '回访' });
    await centre.step(m.id, 'visit', { outcome: '电话回访，她说灯还没修，着急得很', satisfied: false });
    const d: MatterDetail = await centre.matter(m.id);
    expect(d.timeline.at(-1)).toMatchObject({ action: 'return_visit', channel: 'phone', note: '电话回访，她说灯还没修，着急得很' });
  });
});
