import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { type MatterDetail, PNG_1x1 } from '../helpers/matters.ts';
import { DESKTOP, PHONE, signIn, watchConsole } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

// Stories 1, 3 and 5 of DOMAIN.md §5 clicked through the pages, each person in their own browser context
// signed in as themselves: the resident on the resident pages, the grid worker on the phone pages, the centre
// and the community on the console, departments and posts on their pages. Assertions read what a person sees;
// the API is used only to check the record behind it.
describe('stories 1, 3 and 5 across the pages', () => {
  const t = useTestTown({ seed: 'story', listen: true });
  const b = useBrowser();
  const problems: string[] = [];

  const person = async (username: string, path: string, viewport: { width: number; height: number } = DESKTOP) =>
    (await signIn(b, t.base, username, path, problems, viewport)).page;
  const api = (username: string) => t.as(username);
  const detail = async (id: number) => (await api('t_centre')).ok<MatterDetail>('GET', `/api/matters/${id}`);
  /** The matter of the public code a resident is shown; staff pages show its internal code (m.code). */
  const matterByCode = (code: string) => t.deps.db.selectFrom('matters').selectAll().where('public_code', '=', code).executeTakeFirstOrThrow();

  /** A resident on a phone, signed in with a phone number and the demo code, standing at a point. */
  async function resident(phone: string, at: { lng: number; lat: number }): Promise<Page> {
    const context = await b.newContext({
      viewport: PHONE, hasTouch: true, isMobile: true, baseURL: t.base,
      geolocation: { longitude: at.lng, latitude: at.lat }, permissions: ['geolocation'],
    });
    const page = await context.newPage();
    watchConsole(page, problems);
    await page.goto('/r/login?next=/r');
    await page.locator('[data-test=r-phone] input').fill(phone);
    await page.locator('[data-test=r-send-code]').click();
    await page.locator('[data-test=r-demo-fill]').click();
    await page.locator('[data-test=r-login]').click();
    await page.locator('[data-test=r-greeting]').waitFor();
    return page;
  }

  /** The resident's three report steps: what, (no) photo, where (the phone's position); returns the code shown. */
  async function residentReports(page: Page, what: string): Promise<string> {
    await page.locator('[data-test=r-go-report]').click();
    await page.locator('[data-test=r-step][data-step="1"]').waitFor();
    await page.locator('[data-test=r-desc] textarea').fill(what);
    await page.locator('[data-test=r-next]').click();
    await page.locator('[data-test=r-step][data-step="2"]').waitFor();
    await page.locator('[data-test=r-next]').click();
    await page.locator('[data-test=r-step][data-step="3"]').waitFor();
    await page.locator('[data-test=r-locate]').click();
    await page.locator('[data-test=r-place]:not([data-grid=""])').waitFor();
    await page.locator('[data-test=r-submit]').click();
    return (await page.locator('[data-test=r-done-code]').innerText()).trim();
  }

  /** Picks an option of an Element Plus select by typing and clicking the option with that text. */
  async function choose(page: Page, select: string, popper: string | null, text: string) {
    await page.locator(`[data-test=${select}]`).click();
    const options = popper ? page.locator(`.${popper} .el-select-dropdown__item:visible`) : page.locator('.el-select-dropdown__item:visible');
    await options.filter({ hasText: text }).first().click();
  }

  /** The centre (or community) registers a reported matter from the triage queue and opens the dispatch dialog. */
  async function triageAndOpenDispatch(page: Page, id: number, categoryCode: string) {
    await page.goto('/console/triage');
    await page.locator(`[data-test=queue-row-${id}]`).click();
    await page.locator('[data-test=reg-category]').click();
    await page.keyboard.type(categoryCode);
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: categoryCode }).first().click();
    await page.locator('[data-test=reg-dispatch]').click();
    await page.locator('[data-test=dispatch-dialog]').waitFor();
  }

  async function confirmDispatch(page: Page) {
    await page.locator('[data-test=due-preview-time]').waitFor();
    const shown = (await page.locator('[data-test=due-preview-time]').innerText()).trim();
    expect(shown).toMatch(/\d{2}:\d{2}/);
    await page.locator('[data-test=dispatch-confirm]').click();
    await page.locator('[data-test=matter-status]', { hasText: '已派遣' }).waitFor();
    return shown;
  }

  /** A console action with an optional note in its dialog. */
  async function consoleAction(page: Page, action: string, note?: string) {
    await page.locator(`[data-test=act-${action}]`).click();
    await page.locator('[data-test=action-dialog]').waitFor();
    if (note) await page.locator('[data-test=action-dialog] [data-test=act-note] textarea, [data-test=action-dialog] textarea[data-test=act-note]').first().fill(note);
    await page.locator('[data-test=act-confirm]').click();
    await page.locator('[data-test=action-dialog]').waitFor({ state: 'hidden' });
  }

  /** On the grid worker's phone page of a matter: one action, with a note and photo when asked. */
  async function workerAction(page: Page, action: string, note?: string, photo = false) {
    await page.locator(`[data-test=action-${action}]`).click();
    if (note !== undefined || photo) {
      await page.locator('[data-test=action-form]').waitFor();
      if (note) await page.locator('[data-test=action-note] textarea').fill(note);
      if (photo) await page.locator('[data-test=action-photos] input[type=file]').setInputFiles({ name: 'done.png', mimeType: 'image/png', buffer: PNG_1x1 });
      await page.locator('[data-test=action-submit]').click();
      await page.locator('[data-test=action-form]').waitFor({ state: 'hidden' });
    }
  }

  /** On a department or post page: open my matter from a tab and take one action with an optional note. */
  async function deptAction(page: Page, id: number, tab: 'pending' | 'handling', action: string, note?: string, photo = false) {
    await page.goto(`/dept?tab=${tab}`);
    await page.locator(`[data-test=list-${tab}] [data-test=matter-item][data-id="${id}"]`).click();
    await page.locator(`[data-test=action-${action}]`).click();
    if (note !== undefined || photo) {
      await page.locator('[data-test=action-form]').waitFor();
      if (note) await page.locator('[data-test=action-form] [data-test=note] textarea').fill(note);
      if (photo) await page.locator('[data-test=action-form] [data-test=photos] input[type=file]').setInputFiles({ name: 'done.png', mimeType: 'image/png', buffer: PNG_1x1 });
      await page.locator('[data-test=action-form] [data-test=submit]').click();
      await page.locator('[data-test=action-form]').waitFor({ state: 'hidden' });
    }
  }

  it('story 1 — the broken tap: the resident reports, the community dispatches to the grid, the worker fixes it, the resident is satisfied', async () => {
    const home = await resident('13911110001', { lng: 106.505, lat: 29.51 });
    const code = await residentReports(home, '家里停水了，厨房水龙头拧开一滴水都没有，我一个人在家，麻烦网格员来看看');
    const m = await matterByCode(code);
    expect(m).toMatchObject({ status: 'reported', grid_id: t.town.g11.id, source: 'resident_report' });

    // The community staff triage it on the console: a household's water (S03002), for the grid to handle.
    const community = await person('t_staff1', '/console/');
    await triageAndOpenDispatch(community, m.id, 'S03002');
    await choose(community, 'dispatch-lead', 'dispatch-lead-popper', '花园1网格');
    await confirmDispatch(community);

    // The grid worker sees it in her inbox, goes, finds the broken tap and replaces it the same day.
    const worker = await person('t_worker11', '/m/', PHONE);
    const item = worker.locator('[data-test=inbox-item]', { hasText: m.code });
    await item.waitFor();
    await item.click();
    await worker.locator('[data-test=matter-code]', { hasText: m.code }).waitFor();
    await workerAction(worker, 'accept');
    await worker.locator('[data-test=matter][data-status=handling]').waitFor();
    await workerAction(worker, 'progress', '上门查看：厨房水龙头阀芯损坏');
    await workerAction(worker, 'handle', '更换水龙头阀芯，已恢复供水', true);
    await worker.locator('[data-test=matter][data-status=handled]').waitFor();

    // The community verifies on the console; the resident sees 反馈 and rates it 满意 on his phone.
    await community.goto(`/console/matters/${m.id}`);
    await consoleAction(community, 'verifyPass', '已电话回访，恢复供水');
    await community.locator('[data-test=matter-status]', { hasText: '待评价' }).waitFor();
    await home.goto(`/r/m/${code}`);
    await home.locator('[data-test=r-rate-satisfied]').click();
    await home.locator('[data-test=r-rated]').waitFor();
    await home.locator('[data-test=r-stages][data-status=closed]').waitFor();

    const done = await detail(m.id);
    expect(done).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    expect(done.timeline.map((e) => e.action)).toEqual(['report', 'register', 'dispatch', 'accept', 'progress', 'handle', 'verify_pass', 'rate_ok']);
    expect(done.photos.some((p) => p.stage === 'result')).toBe(true);

    // Anyone with the link (the outcome posted back to the group links here) sees the stages without signing in.
    const stranger = await b.newContext({ viewport: PHONE, baseURL: t.base });
    const open = await stranger.newPage();
    watchConsole(open, problems);
    await open.goto(`/r/m/${code}`);
    await open.locator('[data-test=r-stages][data-status=closed]').waitFor();
    expect(await open.locator('[data-test=r-stage][data-reached="1"]').count()).toBe(6);
    expect(problems).toEqual([]);
  });

  it('story 3 — the jammed school gate: the worker reports from the street, the centre sends the traffic post with four units, all finish their part', async () => {
    const worker = await person('t_worker12', '/m/record', PHONE);
    await worker.locator('[data-test=record-description] textarea').fill('放学高峰学校门口家长停车接娃，车辆乱停把校门口堵死了，孩子从车缝里穿行很危险');
    await worker.locator('[data-test=record-address] input').fill('花园路小学南门');
    await worker.locator('[data-test=record-photos] input[type=file]').setInputFiles({ name: 'gate.png', mimeType: 'image/png', buffer: PNG_1x1 });
    await worker.locator('[data-test=record-submit]').click();
    await worker.waitForURL((u) => u.pathname === '/m/' || u.pathname === '/m');
    const m = await t.deps.db.selectFrom('matters').selectAll().where('address', '=', '花园路小学南门').executeTakeFirstOrThrow();
    expect(m).toMatchObject({ status: 'reported', grid_id: t.town.g12.id });

    // The centre triages it as school-gate traffic (S06001) and dispatches the traffic post with four assists.
    const centre = await person('t_centre', '/console/');
    await triageAndOpenDispatch(centre, m.id, 'S06001');
    await choose(centre, 'dispatch-lead', 'dispatch-lead-popper', '交通巡逻岗');
    for (const unit of ['观音桥交巡警大队', '花园路小学', '花园物业公司', '观音桥派出所']) await choose(centre, 'dispatch-assists', 'dispatch-assists-popper', unit);
    await centre.locator('[data-test=dispatch-dialog] .el-dialog__title').click(); // closes the option list
    const due = await confirmDispatch(centre);
    const dispatched = await detail(m.id);
    expect(dispatched.assignments.map((a) => [a.role, a.targetKind])).toEqual([['lead', 'post'], ['assist', 'department'], ['assist', 'department'], ['assist', 'department'], ['assist', 'department']]);
    expect(due).toContain(new Date(dispatched.dueAt ?? 0).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(11, 16));

    // The post accepts on its page; each unit marks its part done on its own page; the post then handles it.
    const post = await person('t_post', '/dept');
    await deptAction(post, m.id, 'pending', 'accept');
    await post.locator('[data-test=matter-status][data-status=handling]').waitFor();
    for (const handler of ['t_traffic', 't_school', 't_property', 't_police']) {
      const unit = await person(handler, '/dept', PHONE);
      await deptAction(unit, m.id, 'pending', 'accept');
      await unit.locator('[data-test=action-assistDone]').click();
      await unit.locator('[data-test=action-form] [data-test=note] textarea').fill('已安排人员早晚高峰到岗');
      await unit.locator('[data-test=action-form] [data-test=submit]').click();
      await unit.locator('[data-test=action-form]').waitFor({ state: 'hidden' });
    }
    await deptAction(post, m.id, 'handling', 'handle', '设置护学岗和临时停车区，高峰期交通劝导员到岗，校门口已畅通', true);
    await post.locator('[data-test=matter-status][data-status=handled]').waitFor();

    // The centre verifies the result and closes it.
    await centre.goto(`/console/matters/${m.id}`);
    await consoleAction(centre, 'verifyPass', '现场核查：校门口秩序良好');
    await centre.locator('[data-test=matter-status]', { hasText: '待评价' }).waitFor();
    await consoleAction(centre, 'close', '家长反映已改善');
    await centre.locator('[data-test=matter-status]', { hasText: '已结案' }).waitFor();

    const done = await detail(m.id);
    expect(done.status).toBe('closed');
    expect(done.assignments.map((a) => a.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(problems).toEqual([]);
  });

  it('story 5 — the broken gift promise: a citizen complains, market supervision leads with the community, the citizen is satisfied', async () => {
    const citizen = await resident('13911110005', { lng: 106.525, lat: 29.51 });
    const code = await residentReports(citizen, '建新路一家手机店承诺买手机送耳机，付款后不给赠品，店员说活动结束了，要求商家兑现');
    const m = await matterByCode(code);
    expect(m.grid_id).toBe(t.town.g21.id);

    const centre = await person('t_centre', '/console/');
    await triageAndOpenDispatch(centre, m.id, 'S05001');
    await choose(centre, 'dispatch-lead', 'dispatch-lead-popper', '观音桥市场监管所');
    await choose(centre, 'dispatch-assists', 'dispatch-assists-popper', '建新社区');
    await centre.locator('[data-test=dispatch-dialog] .el-dialog__title').click(); // closes the option list
    await confirmDispatch(centre);

    // Market supervision accepts on its page; the community marks its part done on the phone page.
    const market = await person('t_market', '/dept');
    await deptAction(market, m.id, 'pending', 'accept');
    const community = await person('t_staff2', `/m/matters/${m.id}`, PHONE);
    await workerAction(community, 'accept');
    await workerAction(community, 'assist-done', '社区已联系商家负责人到场协商');
    await deptAction(market, m.id, 'handling', 'handle', '约谈商家，责令兑现承诺，赠品已送到消费者手中', true);
    await market.locator('[data-test=matter-status][data-status=handled]').waitFor();

    await centre.goto(`/console/matters/${m.id}`);
    await consoleAction(centre, 'verifyPass', '电话核实赠品已收到');
    await citizen.goto(`/r/m/${code}`);
    await citizen.locator('[data-test=r-rate-satisfied]').click();
    await citizen.locator('[data-test=r-rated]').waitFor();

    const done = await detail(m.id);
    expect(done).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    expect(done.assignments.map((a) => [a.role, a.targetKind, a.status])).toEqual([['lead', 'department', 'done'], ['assist', 'node', 'done']]);
    expect(problems).toEqual([]);
  });
});
