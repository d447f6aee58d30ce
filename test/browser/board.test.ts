import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { watchConsole } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

/** A4 at 96 dpi: the sheet as the stairwell sees it. */
const A4 = { width: 794, height: 1123 };
/** What must never be on the board, on screen or printed: full names, phone numbers, ID numbers, a pledge's note. */
const SECRETS = ['王建国', '李秀英', '13812345678', '13987654321', '500101195001011234', '11010519491231002X', '110105195003070019', '身份证'];
const shots = process.env.BOARD_SHOTS; // a folder: BOARD_SHOTS=/tmp/shots writes b-*.png there

// The public notice board (公示栏) in a browser, with no sign-in: staff walk a topic from raising to building over the
// API (test/deliberation/board.test.ts walks the same), then anyone opens /board/t/:id and /board/c/:id, reads it in
// large type and prints it on one A4 sheet without the button and without anything personal.
describe('the public notice board in a browser', () => {
  const t = useTestTown({ seed: 'story', listen: true });
  const b = useBrowser();
  let topicId = 0;

  beforeAll(async () => {
    const town = t.town;
    const [staff1, resident] = [await t.as('t_staff1'), await t.as('t_resident')];
    const topic = await staff1.ok<{ id: number }>('POST', '/api/topics', {
      title: '花园1网格院坝加装晾衣架', body: '王建国（电话13812345678）说院坝莫得地方晒被子', scope: 'community', nodeId: town.c1.id, supportThreshold: 0, decisionType: 'approve',
    });
    topicId = topic.id;
    const plan = await staff1.ok<{ id: number; goals: { id: number }[] }>('POST', `/api/topics/${topic.id}/plans`, {
      title: '不锈钢晾衣架', body: '院坝东边装六组', costYuan: 3000, goals: [{ kind: 'money', label: '众筹', unit: '元', target: 3000 }, { kind: 'labour', label: '出工', unit: '小时', target: 10 }],
    });
    const station = await staff1.ok<{ id: number }>('POST', '/api/grid-stations', { nodeId: town.g11.id, name: '花园1网格驿站', brand: '连心桥' });
    const meeting = await staff1.ok<{ id: number }>('POST', '/api/meetings', { nodeId: town.g11.id, kind: 'round_table', title: '晾衣架圆桌会', startsAt: new Date().toISOString(), stationId: station.id, topicId: topic.id });
    await staff1.ok('POST', `/api/meetings/${meeting.id}/open`);
    await staff1.ok('POST', `/api/meetings/${meeting.id}/attendance`, { residentId: town.residents.r11 });
    await staff1.ok('POST', `/api/meetings/${meeting.id}/close`, { minutes: '李秀英提出装在东边，联系电话13987654321，大家同意。' });
    await staff1.ok('POST', `/api/topics/${topic.id}/vote/open`, { closesAt: new Date(Date.now() + 86_400_000).toISOString() });
    await resident.ok('POST', `/api/topics/${topic.id}/votes`, { approval: 'yes' });
    await staff1.ok('POST', `/api/topics/${topic.id}/vote/close`, { outcome: '同意安装' });
    const [money, labour] = plan.goals;
    await resident.ok('POST', `/api/topics/${topic.id}/pledges`, { goalId: money?.id, amount: 200, note: '王建国 身份证500101195001011234' });
    const firm = await staff1.ok<{ id: number }>('POST', `/api/topics/${topic.id}/pledges`, { goalId: money?.id, amount: 2800, organisation: '花园物业公司' });
    await staff1.ok('POST', `/api/topics/${topic.id}/pledges/${firm.id}/deliver`, { note: '已转账' });
    await staff1.ok('POST', `/api/topics/${topic.id}/pledges`, { goalId: labour?.id, amount: 4, residentId: town.residents.r12 });
    const project = await staff1.ok<{ id: number; milestones: { id: number }[] }>('POST', `/api/topics/${topic.id}/project`, { milestones: [{ title: '采购', weight: 1 }, { title: '安装', weight: 3 }] });
    await staff1.ok('POST', `/api/projects/${project.id}/milestones/${project.milestones[0]?.id}`, { progress: 100 });
  });

  /** A fresh, signed-out page the size of an A4 sheet. */
  async function anonymousPage(problems: string[]): Promise<Page> {
    const page = await b.newPage({ viewport: A4 });
    watchConsole(page, problems);
    return page;
  }

  type Win = { getComputedStyle(e: unknown): { display: string; color: string; backgroundColor: string }; document: { body: { innerText: string } } };
  const printedText = (page: Page) => page.evaluate(() => (globalThis as unknown as Win).document.body.innerText);
  const display = (page: Page, selector: string) => page.locator(selector).evaluate((el) => (globalThis as unknown as Win).getComputedStyle(el).display);
  /** Pages in a PDF from Chromium (its page objects are written uncompressed). */
  const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;

  it('shows one topic to anyone, in Chinese, and prints it on one A4 sheet with nothing personal', async () => {
    const problems: string[] = [];
    const page = await anonymousPage(problems);
    await page.goto(`${t.base}/board/t/${topicId}`);
    await page.locator('[data-test=board-title]').waitFor();

    expect(await page.locator('[data-test=board-title]').innerText()).toBe('花园1网格院坝加装晾衣架');
    expect(await page.locator('[data-test=board-stage]').innerText()).toBe('实施中');
    const text = await page.locator('[data-test=board-sheet]').innerText();
    for (const words of ['花园社区', '议题公示', '院坝莫得地方晒被子', '通过', '决议：同意安装', '不锈钢晾衣架', '预算 3,000 元', '众筹：目标 3,000 元',
      '花园物业公司', '李**', '王**', '已兑现', '晾衣架圆桌会', '花园1网格驿站（连心桥）', '到会 1 人', '李**提出装在东边', '采购', '安装', '完成 25%', '扫码查看最新进展', '公示日期：']) {
      expect(text).toContain(words);
    }
    expect(await page.locator('[data-test=board-pledge]').count()).toBe(3);
    expect(await page.locator('[data-test=board-project-progress]').getAttribute('data-progress')).toBe('25');
    expect(await page.locator('[data-test=board-qr] svg').count()).toBe(1);
    expect(await page.locator('[data-test=board-print]').isVisible()).toBe(true);
    expect(await page.locator('[data-test=board-print]').innerText()).toContain('打印');
    // Large type for an elderly reader on screen.
    expect(Number.parseFloat(await page.locator('.board-page').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(20);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    if (shots) await page.screenshot({ path: `${shots}/b-topic.png`, fullPage: true });

    // Printed: A4, one sheet, no button, black on white, the QR code kept.
    await page.emulateMedia({ media: 'print' });
    const printed = await printedText(page);
    for (const secret of SECRETS) expect(printed).not.toContain(secret);
    expect(printed).not.toContain('打印');
    expect(printed).toContain('扫码查看最新进展');
    expect(printed).toContain('李**提出装在东边');
    expect(await display(page, '.board-tools:has([data-test=board-print])')).toBe('none');
    expect(await page.locator('[data-test=board-print]').isVisible()).toBe(false);
    expect(await page.locator('[data-test=board-qr] svg').isVisible()).toBe(true);
    expect(await page.locator('[data-test=board-title]').evaluate((el) => (globalThis as unknown as Win).getComputedStyle(el).color)).toBe('rgb(0, 0, 0)');
    expect(await page.locator('.board-page').evaluate((el) => (globalThis as unknown as Win).getComputedStyle(el).backgroundColor)).toBe('rgb(255, 255, 255)');
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfPages(pdf)).toBe(1);
    if (shots) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(`${shots}/b-topic.pdf`, pdf);
      // The printed sheet as the printer lays it out: A4's width less the @page margins (184 mm at 96 dpi).
      await page.setViewportSize({ width: 695, height: 1046 });
      await page.screenshot({ path: `${shots}/b-topic-print.png`, fullPage: true });
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the community board with its totals and the topic as a card that leads to it', async () => {
    const problems: string[] = [];
    const page = await anonymousPage(problems);
    await page.goto(`${t.base}/board/c/${t.town.c1.id}`);
    await page.locator('[data-test=board-card]').first().waitFor();
    expect(await page.locator('[data-test=board-title]').innerText()).toBe('花园社区议事公示栏');
    const total = (k: string) => page.locator(`[data-test=board-total-${k}] dd`).innerText();
    expect([await total('raised'), await total('decided'), await total('implementing'), await total('pledgedYuan'), await total('labourHours')]).toEqual(['1', '1', '1', '3,000', '4']);
    const card = page.locator(`[data-test=board-card][data-id="${topicId}"]`);
    const words = await card.innerText();
    for (const w of ['花园1网格院坝加装晾衣架', '实施中', '地点：花园社区', '通过', '决议：同意安装', '认捐 3,000 元', '已到位 2,800 元', '出工 4 小时', '3 方认捐', '完成 25%']) expect(words).toContain(w);
    expect(await page.locator('[data-test=board-qr] svg').count()).toBe(1);
    const text = await page.locator('[data-test=board-sheet]').innerText();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    if (shots) await page.screenshot({ path: `${shots}/b-community.png`, fullPage: true });

    await page.emulateMedia({ media: 'print' });
    const printed = await printedText(page);
    for (const secret of SECRETS) expect(printed).not.toContain(secret);
    expect(await page.locator('[data-test=board-print]').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    expect(pdfPages(pdf)).toBe(1);
    await page.emulateMedia({ media: 'screen' });

    await card.click();
    await page.waitForURL(new RegExp(`/board/t/${topicId}$`));
    await page.locator('[data-test=board-title]', { hasText: '晾衣架' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says so in plain words when the topic is not on the board', async () => {
    const problems: string[] = [];
    const page = await b.newPage({ viewport: A4 });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${t.base}/board/t/999999`);
    await page.locator('[data-test=board-error]').waitFor();
    expect(await page.locator('[data-test=board-error]').innerText()).toMatch(/^公示栏没有打开：/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
