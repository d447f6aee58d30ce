import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './helpers/app.ts';
import { testEngine } from './helpers/engine.ts';
import type { Actor } from './helpers/matters.ts';
import { useTestTown } from './helpers/town.ts';

interface Page { items: { id: number }[]; nextCursor: string | null }

/**
 * Walks a paged list a small page at a time and answers the ids in order, failing on a page larger than asked
 * or a cursor that comes back (a loop).
 */
async function walk(actor: Actor, url: string, limit: number): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = [];
  const cursors = new Set<string>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const page: Page = await actor.ok<Page>('GET', `${url}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((i) => i.id));
    pages += 1;
    cursor = page.nextCursor;
    if (cursor) {
      expect(cursors.has(cursor)).toBe(false);
      cursors.add(cursor);
      // A page that says more follow is a full one.
      expect(page.items.length).toBe(limit);
    }
  } while (cursor);
  return { ids, pages };
}

/** The whole list in one large page, for comparison. */
async function whole(actor: Actor, url: string, limit: number): Promise<number[]> {
  const sep = url.includes('?') ? '&' : '?';
  const page = await actor.ok<Page>('GET', `${url}${sep}limit=${limit}`);
  expect(page.nextCursor).toBeNull();
  return page.items.map((i) => i.id);
}

describe(`every paged list walks all its rows, none lost or doubled (${testEngine})`, () => {
  const t = useTestTown();
  const [centre, admin, worker11] = t.actors('t_centre', 't_admin', 't_worker11');

  beforeAll(async () => {
    // Matters: some urgent, due times to come from registering a few, so "by due" has ties and nulls.
    for (let i = 0; i < 7; i++) {
      await centre.ok('POST', '/api/matters', { source: 'hotline', channel: 'phone', description: `第${i + 1}个反映：垃圾桶满了没人收`, location: { nodeId: i % 2 ? t.town.g11.id : t.town.g12.id }, urgent: i % 3 === 0 });
    }
    // Visits: three at the very same moment, so the (at, id) keyset must break the tie.
    const same = '2026-03-10T02:00:00.000Z';
    for (let i = 0; i < 6; i++) {
      await worker11.ok('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id], note: `走访${i}`, at: i < 3 ? same : `2026-03-0${i}T02:00:00.000Z`, clientId: randomUUID() });
    }
    // Online groups and messages pasted into them.
    for (let i = 0; i < 5; i++) await admin.ok('POST', '/api/online-groups', { gridId: t.town.g11.id, platform: 'wecom', externalId: `wrLists${i}`, name: `花园1网格${i}号群` });
    const groups = await admin.ok<{ items: { id: number }[] }>('GET', `/api/online-groups?gridId=${t.town.g11.id}&limit=100`);
    const groupId = groups.items[0]?.id as number;
    // Inspection tasks, two due at the same moment, so the (due, id) keyset must break the tie.
    const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const sameDue = inHours(30);
    for (let i = 0; i < 5; i++) {
      await centre.ok('POST', '/api/inspections', { nodeId: t.town.town.id, title: `排查${i}：楼道堆放杂物`, dueAt: i < 2 ? sameDue : inHours(10 + i), points: [{ gridId: t.town.g11.id, name: `${i}号楼楼道` }] });
    }
    for (let i = 0; i < 6; i++) await worker11.ok('POST', `/api/online-groups/${groupId}/messages`, { text: `${i}号楼下水道堵了，臭得很，麻烦来看一下`, senderName: `张孃孃${i}`, clientId: randomUUID() });
  });

  const lists: { name: string; who: () => Actor; url: string; min: number }[] = [
    { name: 'matters by due time', who: () => centre, url: '/api/matters?order=due', min: 7 },
    { name: 'matters newest first', who: () => centre, url: '/api/matters?order=recent', min: 7 },
    { name: 'a grid worker’s matters', who: () => worker11, url: '/api/matters?order=due&status=reported', min: 3 },
    { name: 'visits', who: () => worker11, url: `/api/visits?gridId=${0}`, min: 6 },
    { name: 'a grid worker’s inspection tasks', who: () => worker11, url: '/api/inspections/mine', min: 5 },
    { name: 'inspection tasks', who: () => centre, url: '/api/inspections', min: 5 },
    { name: 'online groups', who: () => admin, url: '/api/online-groups', min: 6 },
    { name: 'group messages', who: () => worker11, url: '/api/group-messages', min: 6 },
    { name: 'nodes', who: () => admin, url: '/api/nodes', min: 7 },
    { name: 'residents', who: () => admin, url: '/api/residents', min: 3 },
    { name: 'accounts', who: () => admin, url: '/api/users', min: 10 },
    { name: 'the audit log', who: () => admin, url: '/api/audit', min: 10 },
  ];

  for (const list of lists) {
    it(`${list.name}: page by page equals the whole list`, async () => {
      const url = list.url.replace('gridId=0', `gridId=${t.town.g11.id}`);
      const all = await whole(list.who(), url, 200);
      expect(all.length).toBeGreaterThanOrEqual(list.min);
      for (const limit of [1, 2, 5]) {
        const { ids, pages } = await walk(list.who(), url, limit);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(all);
        expect(pages).toBe(Math.ceil(all.length / limit));
      }
    });
  }

  it('visits come newest first, ties broken by id, and a foreign cursor is refused', async () => {
    const page = await worker11.ok<{ items: { id: number; at: string }[] }>('GET', `/api/visits?gridId=${t.town.g11.id}&limit=200`);
    const keys = page.items.map((v) => [Date.parse(v.at), v.id] as const);
    const sorted = [...keys].sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    expect(keys).toEqual(sorted);
    expectError(await worker11.raw('GET', `/api/visits?gridId=${t.town.g11.id}&cursor=bm90LWEtY3Vyc29y`), 400, 'INVALID_CURSOR');
    expectError(await worker11.raw('GET', `/api/visits?gridId=${t.town.g11.id}&cursor=${Buffer.from(JSON.stringify(['yesterday', 1])).toString('base64url')}`), 400, 'INVALID_CURSOR');
  });
});
