import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo.loader.ts';
import { useBrowser } from '../helpers/browser.ts';
import { fillLogin, watchConsole } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

interface Deliberation { raised: number; decided: number; implemented: number; participationRate: number | null; latest: { id: number; title: string; stage: string }[] }
interface Overview { tiles: { new: number; closed: number; open: number; onTimeRate: number | null; satisfactionRate: number | null } }

describe('the big screen in a browser', () => {
  const t = useTestTown({ listen: true });
  const b = useBrowser();

  beforeAll(async () => {
    const centre = await t.as('t_centre');
    // Two matters in 花园1网格 (one closed the same day), one in 建新1网格.
    const a = await centre.ok<{ id: number }>('POST', '/api/matters', { source: 'hotline', description: '路灯不亮，晚上很黑', location: { nodeId: t.town.g11.id } });
    await centre.ok('POST', '/api/matters', { source: 'hotline', description: '楼道堆放杂物', location: { nodeId: t.town.g11.id } });
    await centre.ok('POST', '/api/matters', { source: 'hotline', description: '下水道堵塞返水', location: { nodeId: t.town.g21.id } });
    await centre.step(a.id, 'reject', { reason: '重复来电，已在处理' });
    // Two topics for the deliberation panel: one collecting support, one voted through by its grid.
    const staff = await t.as('t_staff1');
    await staff.ok('POST', '/api/topics', { title: '小区门口增设非机动车棚', scope: 'community', nodeId: t.town.c1.id, supportThreshold: 5 });
    const passed = await staff.ok<{ id: number }>('POST', '/api/topics', { title: '院坝加装晾衣架', scope: 'community', nodeId: t.town.c1.id, supportThreshold: 0, decisionType: 'approve' });
    await staff.ok('POST', `/api/topics/${passed.id}/vote/open`, { closesAt: new Date(Date.now() + 86_400_000).toISOString() });
    await (await t.as('t_resident')).ok('POST', `/api/topics/${passed.id}/votes`, { approval: 'yes' });
    await staff.ok('POST', `/api/topics/${passed.id}/vote/close`, { outcome: '同意安装' });
  });

  it('shows the API’s figures and the grids, and a new urgent matter flashes red in the live feed without a reload', async () => {
    const page = await b.newPage({ viewport: { width: 1920, height: 1080 } });
    const problems: string[] = [];
    watchConsole(page, problems);
    await fillLogin(page, t.base, '/screen', 't_centre');
    await page.waitForURL(/\/screen/);
    await page.locator('[data-test=screen-town]', { hasText: '观音桥街道' }).waitFor();

    const centre = await t.as('t_centre');
    const api = await centre.ok<Overview>('GET', `/api/screen/overview?nodeId=${t.town.town.id}`);
    expect(api.tiles).toMatchObject({ new: 3, open: 2 });
    const tile = (key: string) => page.locator(`[data-test=tile-${key}] [data-test=tile-value]`).innerText();
    expect(await tile('new')).toBe('3');
    expect(await tile('closed')).toBe(String(api.tiles.closed));
    expect(await tile('open')).toBe('2');
    expect(await tile('onTime')).toBe('—'); // nothing was due yet: a rate of nothing is not 0%

    // The deliberation panel: this year's figures as the API gives them, and the latest topics with their stage.
    const delib = await centre.ok<Deliberation>('GET', `/api/screen/deliberation?nodeId=${t.town.town.id}`);
    expect(delib).toMatchObject({ raised: 2, decided: 1, implemented: 0 });
    const figure = (key: string) => page.locator(`[data-test=delib-${key}] [data-test=delib-value]`).innerText();
    await page.locator('[data-test=delib-topic]').first().waitFor();
    expect(await figure('raised')).toBe('2');
    expect(await figure('decided')).toBe('1');
    expect(await figure('implemented')).toBe('0');
    expect(await figure('participation')).toBe(delib.participationRate === null ? '—' : `${(delib.participationRate * 100).toFixed(1)}%`);
    expect(await page.locator('[data-test=deliberation] h2').innerText()).toContain('议事协商');
    const topics = page.locator('[data-test=delib-topic]');
    expect(await topics.count()).toBe(2);
    const stageOf = async (title: string) => topics.filter({ hasText: title }).locator('.dstage').innerText();
    expect(await stageOf('院坝加装晾衣架')).toBe('已通过');
    expect(await stageOf('小区门口增设非机动车棚')).toBe('征集附议');

    // The map drew the town's three grids.
    await page.locator('[data-test=chart-map][data-grids="3"] canvas').waitFor();

    // A new urgent matter reaches the feed over SSE, and is red.
    const urgent = await centre.ok<{ id: number; code: string }>('POST', '/api/matters', {
      source: 'hotline', description: '小区燃气管道泄漏，闻到很重的气味', location: { nodeId: t.town.g12.id }, urgent: true,
    });
    const item = page.locator(`[data-test=feed-item][data-code="${urgent.code}"]`);
    await item.waitFor();
    expect(await item.getAttribute('class')).toContain('urgent');
    const color = await item.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color);
    expect(color).toBe('rgb(255, 107, 107)');
    // The figures follow the event (debounced refetch): four reported today, three open.
    await page.locator('[data-test=tile-new] [data-test=tile-value]', { hasText: /^4$/ }).waitFor();
    expect(await tile('open')).toBe('3');
    if (process.env.BOARD_SHOTS) await page.screenshot({ path: `${process.env.BOARD_SHOTS}/b-screen.png` });

    const size = await page.evaluate<{ scroll: number; inner: number; width: number }>('({ scroll: document.documentElement.scrollHeight, inner: window.innerHeight, width: document.documentElement.scrollWidth })');
    expect(size.scroll).toBeLessThanOrEqual(size.inner);
    expect(size.width).toBeLessThanOrEqual(1920);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('is only for the centre: a department handler is sent to sign in with another account', async () => {
    const page = await b.newPage({ viewport: { width: 1280, height: 800 } });
    await fillLogin(page, t.base, '/screen', 't_police');
    await page.waitForURL(/denied=1/);
    const res = await (await t.as('t_police')).raw('GET', `/api/screen/overview?nodeId=${t.town.town.id}`);
    expect(res.statusCode).toBe(403);
    await page.close();
  });
});

// The screenshot of a lively screen: the demo town with a short history. Only with SCREENSHOTS=1 (slow).
describe.runIf(process.env.SCREENSHOTS)('the big screen of the demo town (screenshot)', () => {
  const t = useTestTown({ seed: 'demo', demoYear: { matters: 120 }, listen: true, timeout: 1_200_000 });
  const b = useBrowser({ screenshots: 'screen' });

  it('fills 1920×1080 without scrolling', async () => {
    const page = await b.newPage({ viewport: { width: 1920, height: 1080 } });
    const problems: string[] = [];
    watchConsole(page, problems);
    await fillLogin(page, t.base, '/screen', 'centre1', DEMO_PASSWORD);
    await page.waitForURL(/\/screen/);
    await page.locator('[data-test=chart-map] canvas').waitFor();
    await page.locator('[data-test=feed-item]').first().waitFor();
    await page.waitForTimeout(1500); // let the charts finish their entry animation for the picture
    await b.shot(page, 'demo');
    expect(await page.evaluate<boolean>('document.documentElement.scrollHeight <= window.innerHeight')).toBe(true);
    expect(problems).toEqual([]);
  }, 120_000);
});
