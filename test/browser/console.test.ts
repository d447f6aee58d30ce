import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import type { MatterOut } from '../helpers/matters.ts';
import { DESKTOP, fillLogin, watchConsole } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';
/** Beijing wall-clock "YYYY-MM-DD HH:mm" → epoch ms (the console shows Beijing time). */
const parseBeijing = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`).getTime();

/**
 * The centre console in a browser, as the operator works it: the triage queue, registering and dispatching with
 * the due time shown before confirming, the deadline board, search by filters kept in the URL, and statistics
 * with the Excel download. Every page at 1440×900 without console errors or warnings.
 */
describe('the centre console in a browser', () => {
  const t = useTestTown({ seed: 'story', listen: true });
  const b = useBrowser({ context: { viewport: DESKTOP, acceptDownloads: true }, fresh: 'file', screenshots: 'console' });

  it('registers, dispatches with the due time shown, tracks deadlines, searches and exports statistics', async () => {
    const { page, problems } = b;
    const worker = await t.as('t_worker12');
    const worker21 = await t.as('t_worker11');
    const centre = await t.as('t_centre');
    // The grid worker's report (story 3) and some other traffic in the queue.
    const m = await worker.ok<MatterOut>('POST', '/api/matters', {
      source: 'patrol', location: { nodeId: t.town.g12.id }, address: '花园路小学南门', description: '放学高峰学校门口家长停车接娃，车辆乱停把校门口堵死了，孩子从车缝里穿行很危险',
    });
    const other = await worker21.ok<MatterOut>('POST', '/api/matters', { source: 'visit', location: { nodeId: t.town.g11.id }, description: '1栋楼道里堆满纸箱杂物，堵住了消防通道', urgent: true });
    await worker21.ok('POST', '/api/matters', { source: 'resident_report', location: { nodeId: t.town.g21.id }, description: '小区门口的路灯坏了好几天，晚上很黑' });
    // One running matter falls overdue (as the deadline job marks it) for the deadline board.
    await centre.step(other.id, 'register', { categoryCode: 'S06001' });
    await centre.step(other.id, 'dispatch', { lead: { kind: 'node', id: t.town.c1.id } });
    await t.deps.db.updateTable('matters').set({ due_at: new Date(Date.now() - 3 * 3600_000), overdue: true }).where('id', '=', other.id).execute();
    // A message in the online grid.
    const group = await t.deps.db.selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow();
    await worker21.ok('POST', `/api/online-groups/${group.id}/messages`, { text: '3栋2单元楼道里有烟，好像着火了，快来人', senderName: '王建国', clientId: randomUUID() });

    // Sign in as the centre's operator.
    await fillLogin(page, t.base, '/console/triage', 't_centre');

    // Triage: the report is in the queue; the drawer suggests the category; register and go on to dispatch.
    await page.locator(`[data-test=queue-row-${m.id}]`).waitFor();
    expect(await page.locator('[data-test=triage-table] .el-table__body tr').count()).toBe(2);
    await page.locator('[data-test=new-count]').getByText('2').waitFor();
    await b.shot(page, 'triage');
    await page.locator(`[data-test=queue-row-${m.id}]`).click();
    await page.locator('[data-test=reg-category]').getByText('S06001', { exact: false }).waitFor();
    await b.shot(page, 'triage-drawer');
    await page.locator('[data-test=reg-dispatch]').click();

    // The dispatch dialog: the traffic post leads, traffic police assist; the due time is shown before confirming.
    const dialog = page.locator('.el-dialog[data-test=dispatch-dialog]');
    await dialog.waitFor();
    expect(page.url()).toContain(`/console/matters/${m.id}`);
    const dueText = (await dialog.locator('[data-test=due-preview-time]').textContent())?.trim() ?? '';
    expect(dueText).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await dialog.locator('[data-test=dispatch-lead]').click();
    await page.locator('.dispatch-lead-popper .el-select-dropdown__item', { hasText: '交通巡逻岗' }).click();
    await dialog.locator('[data-test=dispatch-assists]').click();
    await page.locator('.dispatch-assists-popper .el-select-dropdown__item', { hasText: '观音桥交巡警大队' }).click();
    await page.locator('.dispatch-assists-popper .el-select-dropdown__item', { hasText: '花园路小学' }).click();
    await dialog.locator('.el-dialog__title').click(); // close the option list
    await page.locator('.dispatch-assists-popper:has(.el-select-dropdown__item)').first().waitFor({ state: 'hidden' });
    await b.shot(page, 'dispatch');
    await dialog.locator('[data-test=dispatch-confirm]').click();
    await page.locator('[data-test=matter-status]', { hasText: '已派遣' }).waitFor();
    const detail = await centre.matter(m.id);
    expect(detail.assignments.map((a) => [a.role, a.targetKind, a.targetName])).toEqual([
      ['lead', 'post', '交通巡逻岗'], ['assist', 'department', '观音桥交巡警大队'], ['assist', 'department', '花园路小学'],
    ]);
    // What the dialog showed is the due time the dispatch set (to the minute it was shown in).
    expect(Math.abs(new Date(detail.dueAt ?? 0).getTime() - parseBeijing(dueText))).toBeLessThan(120_000);
    await page.locator('[data-test=timeline]').getByText('派遣').first().waitFor();
    await page.locator('[data-test=assignments]').getByText('观音桥交巡警大队').waitFor();
    await b.shot(page, 'matter');

    // The deadline board: the overdue matter in red with how long; counts on the tabs.
    await page.locator('[data-test=nav-deadlines]').click();
    await page.locator('[data-test=tab-overdue]').click();
    await page.locator(`[data-test=overdue-by-${other.id}]`).waitFor();
    expect(await page.locator(`[data-test=overdue-by-${other.id}]`).textContent()).toMatch(/小时/);
    expect((await page.locator('[data-test=count-overdue]').textContent())?.trim()).toBe('1');
    expect(page.url()).toContain('tab=overdue');
    await b.shot(page, 'deadlines');

    // Search by filters: status and source in the URL; the dispatched patrol report is found, the visit is not.
    await page.goto(`${t.base}/console/matters?status=dispatched&source=patrol`);
    await page.locator(`[data-test=row-${m.id}]`).waitFor();
    expect(await page.locator(`[data-test=row-${other.id}]`).count()).toBe(0);
    await page.fill('input[data-test=f-q]', detail.code);
    await page.locator('[data-test=search-submit]').click();
    await page.waitForURL(/q=/);
    await page.locator(`[data-test=row-${m.id}]`).waitFor();
    expect(await page.locator('[data-test=matter-table] .el-table__body tr').count()).toBe(1);
    await page.goto(`${t.base}/console/matters`);
    await page.locator(`[data-test=row-${other.id}]`).waitFor();
    await b.shot(page, 'search');

    // Statistics and the Excel file of the same figures.
    await page.locator('[data-test=nav-stats]').click();
    await page.locator('[data-test=stats-summary] .el-table__body tr').first().waitFor();
    await page.locator('[data-test=stats-breakdown]').getByText('花园社区').waitFor();
    await b.shot(page, 'stats');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=stats-export]').click()]);
    expect(download.suggestedFilename()).toMatch(/^stats-500105004000-.*\.xlsx$/);
    const path = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '下级', '部门', '岗位', '板块']);
    expect(wb.getWorksheet('汇总')?.getRow(2).getCell(3).value).toBe(3);

    // Escalations and group messages open cleanly; the urgent message is first, in red.
    await centre.step(m.id, 'escalate', { reason: '涉及多个部门，需区里协调' });
    await page.locator('[data-test=nav-escalations]').click();
    await page.getByText('本级上报出去').click();
    await page.locator(`[data-test=list-outgoing] [data-test=row-${m.id}]`).waitFor();
    await page.locator('.el-message').waitFor({ state: 'detached' }).catch(() => undefined);
    await b.shot(page, 'escalations');
    await page.locator('[data-test=nav-messages]').click();
    await page.locator('[data-test=msg-table] .urgent-row').first().waitFor();
    await page.locator('[data-test=msg-table] .el-loading-mask').waitFor({ state: 'hidden' });
    await b.shot(page, 'messages');

    expect(problems).toEqual([]);
  });

  it('serves community staff their community without errors', async () => {
    const staff = await b.newPage({ viewport: DESKTOP });
    const seen: string[] = [];
    watchConsole(staff, seen);
    await fillLogin(staff, t.base, '/console/matters', 't_staff1');
    await staff.locator('[data-test=matter-table] .el-table__body tr').first().waitFor();
    // 花园社区 sees its own grids' matters, not 建新社区's street lamp.
    const text = await staff.locator('[data-test=matter-table] .el-table__body').innerText();
    expect(text).toContain('花园');
    expect(text).not.toContain('建新1网格');
    expect(await staff.locator('[data-test=nav-admin]').count()).toBe(0);
    for (const nav of ['triage', 'deadlines', 'stats']) {
      await staff.locator(`[data-test=nav-${nav}]`).click();
      await staff.waitForLoadState('networkidle').catch(() => undefined);
    }
    await staff.locator('[data-test=stats-summary] .el-table__body tr').first().waitFor();
    expect(await staff.locator('[data-test=stats-node]').innerText()).toContain('花园社区');
    await staff.close();
    expect(seen).toEqual([]);
  });
});
