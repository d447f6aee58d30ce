import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import type { MatterDetail } from '../helpers/matters.ts';
import { DESKTOP, signIn } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

// The operator reaches the reporter: the masked number, the full one after a reason (audited) with a tel: link;
// then dispatches from what is known: the category's lead post preselected, and 派出所 found by typing "pcs".
describe('the reporter and the dispatch presets on the console, in a browser', () => {
  const t = useTestTown({ listen: true });
  const b = useBrowser({ screenshots: 'reporter' });
  let id = 0;

  beforeAll(async () => {
    const centre = await t.as('t_centre');
    const m = await centre.ok<{ id: number }>('POST', '/api/matters', {
      source: 'hotline', channel: 'phone', description: '花园路口红绿灯坏了，车子人都乱起走', location: { nodeId: t.town.g11.id }, reporter: { contactName: '刘孃孃', contactPhone: '13911112222' },
    });
    id = m.id;
  });

  it('reveals the reporter’s number with a reason, then offers to call', async () => {
    const problems: string[] = [];
    const { page } = await signIn(b, t.base, 't_centre', `/console/matters/${id}`, problems, DESKTOP);
    await page.locator('[data-test=reporter-line]').waitFor();
    expect(await page.locator('[data-test=reporter-name]').innerText()).toBe('刘孃孃');
    expect(await page.locator('[data-test=reporter-masked]').innerText()).not.toContain('1111');
    expect(await page.locator('[data-test=reporter-line]').innerText()).not.toContain('13911112222');
    await page.locator('[data-test=reporter-reveal]').click();
    await page.locator('[data-test=reporter-reveal-dialog]').waitFor();
    // No reason, no reveal.
    expect(await page.locator('[data-test=reporter-reveal-confirm]').isDisabled()).toBe(true);
    await page.locator('[data-test=reporter-reason-1]').click();
    await page.locator('[data-test=reporter-reveal-confirm]').click();
    await page.locator('[data-test=reporter-tel]').waitFor();
    expect(await page.locator('[data-test=reporter-tel]').getAttribute('href')).toBe('tel:13911112222');
    await b.shot(page, 'revealed');
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'pii.reveal').where('subject_type', '=', 'matter').where('subject_id', '=', String(id)).execute();
    expect(audit.map((a) => a.details)).toEqual([expect.objectContaining({ reason: '核实反映的情况', fields: ['phone'] })]);
    expect(problems).toEqual([]);
  });

  it('starts the dispatch from the category’s lead post and finds 派出所 by its pinyin initials', async () => {
    const centre = await t.as('t_centre');
    await centre.step(id, 'register', { categoryCode: '02003', level: 'town' });
    const problems: string[] = [];
    const { page } = await signIn(b, t.base, 't_centre', `/console/matters/${id}?dispatch=1`, problems, DESKTOP);
    await page.locator('[data-test=dispatch-suggested-hint]').waitFor();
    expect(await page.locator('[data-test=dispatch-lead]').innerText()).toContain('交通巡逻岗');
    await page.locator('[data-test=dispatch-lead]').click();
    await page.keyboard.type('pcs');
    const options = page.locator('.dispatch-lead-popper .el-select-dropdown__item:visible');
    await expect.poll(() => options.allInnerTexts(), { timeout: 10_000 }).toEqual(['观音桥派出所']);
    await b.shot(page, 'dispatch-pcs');
    // Leaving the search keeps the suggestion; dispatch to it.
    await page.locator('[data-test=dispatch-note]').click();
    expect(await page.locator('[data-test=dispatch-lead]').innerText()).toContain('交通巡逻岗');
    await page.locator('[data-test=dispatch-confirm]').click();
    await page.locator('[data-test=matter-status]').filter({ hasText: '已派遣' }).waitFor();
    const d = await centre.ok<MatterDetail & { assignments: { role: string; targetName: string }[] }>('GET', `/api/matters/${id}`);
    expect(d.assignments.filter((a) => a.role === 'lead').map((a) => a.targetName)).toEqual(['交通巡逻岗']);
    expect(problems).toEqual([]);
  });
});
