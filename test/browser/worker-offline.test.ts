import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { tinyJpeg } from '../helpers/matters.ts';
import { PHONE_CONTEXT, signInToInbox } from '../helpers/pages.ts';
import { useTestTown } from '../helpers/town.ts';

/** Chromium reports each request refused while offline on the console; those are the network, not the page. */
const OFFLINE_NOISE = [/net::ERR_INTERNET_DISCONNECTED/, /Failed to load resource/];

describe('the grid worker’s phone pages without a network', () => {
  const t = useTestTown({ listen: true });
  const b = useBrowser({ context: { ...PHONE_CONTEXT, serviceWorkers: 'allow' }, allow: OFFLINE_NOISE, screenshots: 'worker-offline' });

  it('records a matter with the network cut, keeps it as a draft across a reload, and sends it exactly once when the network is back', { timeout: 180_000 }, async () => {
    const { context, page, problems } = b;
    await signInToInbox(page, t.base);
    // The service worker must control the page (and have precached the app) before the network goes.
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await page.reload();
    await page.waitForFunction('navigator.serviceWorker.controller !== null');
    await page.locator('[data-test=inbox][data-loaded="1"]').waitFor();
    await page.click('[data-test=tab-record]');
    await page.locator('[data-test=record-map]').waitFor();

    await context.setOffline(true);
    await page.locator('[data-test=offline-banner]').waitFor();
    const description = '2栋门口井盖松动，晚上有人差点踩空';
    await page.fill('[data-test=record-description] textarea', description);
    await page.setInputFiles('[data-test=record-photos] input[type=file]', { name: 'scene.jpg', mimeType: 'image/jpeg', buffer: tinyJpeg() });
    await page.locator('[data-test=record-photos] .van-uploader__preview').waitFor();
    await page.click('[data-test=record-submit]');
    await page.locator('[data-test=draft-count][data-count="1"]').waitFor();
    await page.locator('.van-toast', { hasText: '已保存草稿，联网后自动发送' }).waitFor();
    await b.shot(page, 'draft');

    // Still offline, the page opens again from the service worker, and the draft is still there.
    await page.reload();
    await page.locator('[data-test=record-form]').waitFor();
    await page.locator('[data-test=draft-count][data-count="1"]').waitFor();
    const count = async () => Number((await t.deps.db.selectFrom('matters').select((e) => e.fn.countAll().as('n')).where('description', '=', description).executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(0);

    // The network returns: the draft goes out (photo first, then the matter) and leaves the queue.
    await context.setOffline(false);
    await page.locator('[data-test=draft-count]').waitFor({ state: 'detached' });
    expect(await count()).toBe(1);
    const m = await t.deps.db.selectFrom('matters').selectAll().where('description', '=', description).executeTakeFirstOrThrow();
    expect(m).toMatchObject({ grid_id: t.town.g11.id, channel: 'phone', source: 'patrol' });
    expect(m.client_id).toMatch(/^[0-9a-f-]{36}$/);
    const photos = await t.deps.db.selectFrom('matter_photos').select('file_hash').where('matter_id', '=', m.id).execute();
    expect(photos).toHaveLength(1);

    // Another load flushes nothing again: still exactly one matter.
    await page.reload();
    await page.locator('[data-test=record-form]').waitFor();
    expect(await count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
