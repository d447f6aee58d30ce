import { describe, expect, it } from 'vitest';
import { expectError } from './helpers/app.ts';
import type { MatterOut } from './helpers/matters.ts';
import { useTestTown } from './helpers/town.ts';
import { dueAfter, expectDueNear } from './stories/support.ts';

/** GET /api/matters/:id/due-preview: the due time the dispatch dialog shows before the operator confirms. */
describe('due preview', () => {
  const s = useTestTown({ seed: 'story', closeWithin: 5_000 });

  it('shows the due time a dispatch made now gets, for the chosen or the registered category', async () => {
    const worker = await s.as('t_worker11');
    const centre = await s.as('t_centre');
    const m = await worker.ok<MatterOut>('POST', '/api/matters', { source: 'patrol', location: { nodeId: s.town.g11.id }, description: '有个情况想请中心来看一下' });

    // Before registering: no category yet, unless the operator names one.
    expectError(await centre.raw('GET', `/api/matters/${m.id}/due-preview`), 400, 'VALIDATION_FAILED');
    expectError(await centre.raw('GET', `/api/matters/${m.id}/due-preview?categoryCode=NOPE01`), 404, 'NOT_FOUND');
    const before = new Date();
    const chosen = await centre.ok<{ dueAt: string; amount: number; unit: string; category: { code: string } }>('GET', `/api/matters/${m.id}/due-preview?categoryCode=S06001`);
    expect(chosen).toMatchObject({ amount: 2, unit: 'working_days', category: { code: 'S06001' } });
    expectDueNear(chosen.dueAt, dueAfter(before, 2, 'working_days'));

    await centre.step(m.id, 'register', { categoryCode: 'S06001', scope: 'public' });
    const preview = await centre.ok<{ dueAt: string }>('GET', `/api/matters/${m.id}/due-preview`);
    const dispatched = await centre.step(m.id, 'dispatch', { lead: { kind: 'post', id: s.town.post.id } });
    expectDueNear(dispatched.dueAt, new Date(preview.dueAt));
  });

  it('is only for people who may read the matter', async () => {
    const worker = await s.as('t_worker11');
    const m = await worker.ok<MatterOut>('POST', '/api/matters', { source: 'patrol', location: { nodeId: s.town.g11.id }, description: '楼道里堆放杂物' });
    const stranger = await s.as('t_resident21');
    expectError(await stranger.raw('GET', `/api/matters/${m.id}/due-preview?categoryCode=S06001`), 404, 'NOT_FOUND');
    expectError(await s.app.inject({ method: 'GET', url: `/api/matters/${m.id}/due-preview` }), 401, 'UNAUTHENTICATED');
  });
});
