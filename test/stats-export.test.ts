import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIGURE_COLUMNS, SHEETS } from '../src/modules/stats/stats.export.ts';
import { expectError } from './helpers/app.ts';
import { useTestTown } from './helpers/town.ts';

const beijingDay = (d = new Date()) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** GET /api/stats/export.xlsx: the workbook holds exactly the figures of /summary, /breakdown and /handlers. */
describe('statistics export (.xlsx)', () => {
  const t = useTestTown({ seed: 'story' });
  const [centre, worker, post, traffic] = t.actors('t_centre', 't_worker11', 't_post', 't_traffic');
  /** The Beijing day the matters were reported on, taken when they are (a run across midnight keeps to their day). */
  let today = beijingDay();

  beforeAll(async () => {
    today = beijingDay();
    // Three matters: one closed, one being handled by the post, one still reported.
    const report = (description: string, nodeId: number) => worker.ok<{ id: number }>('POST', '/api/matters', { source: 'patrol', location: { nodeId }, description });
    const a = await report('小区门口路灯坏了好几天，晚上很黑', t.town.g11.id);
    const b = await report('学校门口放学时车辆乱停堵住校门', t.town.g12.id);
    await report('楼道里堆放杂物堵塞消防通道', t.town.g21.id);
    for (const m of [a, b]) {
      await centre.step(m.id, 'register', { categoryCode: 'S06001', scope: 'public' });
      await centre.step(m.id, 'dispatch', { lead: { kind: 'post', id: t.town.post.id }, assists: [{ kind: 'department', id: t.town.departments.traffic.id }] });
      await post.step(m.id, 'accept');
    }
    await traffic.step(a.id, 'assist-done', { note: '已协助', photos: [] });
    await post.step(a.id, 'handle', { note: '已处置完毕', photos: [] });
    await centre.step(a.id, 'verify', { passed: true });
    await centre.step(a.id, 'close', {});
  });

  async function workbook(query: string, user = 't_centre') {
    const res = await t.app.inject({ method: 'GET', url: `/api/stats/export.xlsx?${query}`, headers: await t.login(user) });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return wb;
  }
  const rows = (ws: ExcelJS.Worksheet | undefined) => {
    const out: unknown[][] = [];
    // An empty cell (a rate whose denominator is zero) reads back as null, like the JSON.
    ws?.eachRow((row, n) => { if (n > 1) out.push(Array.from({ length: ws.columnCount }, (_, i) => row.getCell(i + 1).value ?? null)); });
    return out;
  };
  const figures = (f: Record<string, unknown>) => FIGURE_COLUMNS.map((c) => f[c.key] ?? null);

  it('writes the summary, each child and each handler with the figures of the JSON endpoints', async () => {
    const q = `nodeId=${t.town.town.id}&from=${today}&to=${today}`;
    const summary = await centre.ok<Record<string, unknown> & { node: { code: string; name: string }; reported: { total: number } }>('GET', `/api/stats/summary?${q}`);
    const breakdown = await centre.ok<{ items: (Record<string, unknown> & { node: { code: string; name: string }; reported: { total: number } })[] }>('GET', `/api/stats/breakdown?${q}`);
    expect(summary.reported.total).toBe(3);
    expect(summary.closes).toBe(1);
    const wb = await workbook(q);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEETS.summary, SHEETS.breakdown, SHEETS.department, SHEETS.post, SHEETS.board]);
    expect(wb.getWorksheet(SHEETS.summary)?.getRow(1).getCell(4).value).toBe('应结');
    expect(rows(wb.getWorksheet(SHEETS.summary))[0]).toEqual([summary.node.code, summary.node.name, 3, ...figures(summary)]);
    expect(rows(wb.getWorksheet(SHEETS.breakdown))).toEqual(breakdown.items.map((i) => [i.node.code, i.node.name, i.reported.total, ...figures(i)]));
    expect(breakdown.items.map((i) => i.reported.total)).toEqual([2, 1]);
    for (const kind of ['department', 'post', 'board'] as const) {
      const handlers = await centre.ok<{ items: (Record<string, unknown> & { id: number; name: string })[] }>('GET', `/api/stats/handlers?${q}&kind=${kind}`);
      expect(rows(wb.getWorksheet(SHEETS[kind]))).toEqual(handlers.items.map((h) => [h.id, h.name, ...figures(h)]));
    }
    const postRow = rows(wb.getWorksheet(SHEETS.post)).find((r) => r[0] === t.town.post.id);
    expect(postRow?.[1]).toBe('交通巡逻岗');
    expect(postRow?.[2 + FIGURE_COLUMNS.findIndex((c) => c.key === 'closes')]).toBe(1);
  });

  it('refuses what /api/stats/breakdown refuses', async () => {
    const headers = await t.login('t_worker11');
    expectError(await t.app.inject({ method: 'GET', url: `/api/stats/export.xlsx?nodeId=${t.town.town.id}&from=${today}&to=${today}`, headers }), 403, 'FORBIDDEN');
    const centreHeaders = await t.login('t_centre');
    expectError(await t.app.inject({ method: 'GET', url: `/api/stats/export.xlsx?nodeId=${t.town.town.id}&from=${today}`, headers: centreHeaders }), 400, 'VALIDATION_FAILED');
    expectError(await t.app.inject({ method: 'GET', url: `/api/stats/export.xlsx?nodeId=${t.town.town.id}&from=2026-05-02&to=2026-05-01`, headers: centreHeaders }), 400, 'VALIDATION_FAILED');
    expectError(await t.app.inject({ method: 'GET', url: `/api/stats/export.xlsx?nodeId=${t.town.town.id}&from=${today}&to=${today}` }), 401, 'UNAUTHENTICATED');
  });
});
