import { describe, expect, it } from 'vitest';
import { DEMO_MERCHANTS, loadDemoPoints } from '../src/modules/demo/demo.points.ts';
import * as repo from '../src/modules/points/points.repository.ts';
import { useTestTown } from './helpers/town.ts';

describe('the demo town earns and spends points', () => {
  const t = useTestTown({ seed: 'demo' });

  it('has three shops of community 01 with their items, check-ins, signed-off hours and a proven ledger', async () => {
    const loaded = await loadDemoPoints(t.app, t.deps);
    expect(loaded.merchants).toBe(3);
    const staff = await t.as('c01_staff1', 'dualgrid2024');
    const merchants = await staff.ok<{ items: { name: string; itemCount: number; state: string }[] }>('GET', '/api/merchants');
    expect(merchants.items.map((m) => [m.name, m.itemCount, m.state]).sort()).toEqual(DEMO_MERCHANTS.map((m) => [m.name, m.items.length, 'active']).sort());
    const hours = await staff.ok<{ items: { state: string; points: number | null }[] }>('GET', '/api/points/hours');
    expect(hours.items).toHaveLength(3);
    expect(hours.items.every((h) => h.state === 'approved' && (h.points ?? 0) > 0)).toBe(true);
    const checkins = await t.deps.db.selectFrom('point_transfers').select('id').where('rule', '=', 'daily_checkin').execute();
    expect(checkins).toHaveLength(6);
    // The soy sauce is confirmed when the shop is open at load time (07:30–22:00 Beijing).
    expect(loaded.redemptions).toBeLessThanOrEqual(1);
    expect(await repo.reconcile(t.deps.db)).toEqual({ mismatched: [], total: 0, entriesTotal: 0 });
  });
});
