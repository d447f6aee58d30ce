import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { createTestApp, login } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase, testEngine } from './helpers/engine.ts';
import { PASSWORD, seedTown } from './helpers/factory.ts';

describe(`a restart keeps all data (${testEngine})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dualgrid-restart-'));
  let database: TestDatabase | null = null;
  let reopenedClose: (() => Promise<void>) | null = null;
  afterAll(async () => {
    await reopenedClose?.();
    if (database) await database.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the tree, people, sessions and audit trail again after closing and reopening the database', async () => {
    database = await createTestDatabase({ pgliteDir: join(dir, 'pglite') });
    const first = await createTestApp({ database });
    const town = await seedTown(first.deps);
    const headers = await login(first.app, 't_worker11', PASSWORD);
    const created = await first.app.inject({ method: 'POST', url: '/api/residents', headers, payload: { gridId: town.g11.id, name: '重启测试', phone: '13511112222' } });
    expect(created.statusCode).toBe(201);
    const before = (await first.app.inject({ method: 'GET', url: `/api/nodes/${town.town.id}` })).json();
    const auditBefore = (await first.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    await first.app.close();
    await database.close();

    // Reopen the same storage: the same folder for PGlite, the same database for PostgreSQL.
    const reopened = await openDatabase({ databaseUrl: database.url, pgliteDir: database.url ? null : join(dir, 'pglite') });
    reopenedClose = reopened.close;
    // The first handle is closed already; destroy() only has to drop the database (postgres) or nothing (pglite).
    database = { ...database, ...reopened, destroy: database.url ? database.destroy : async () => {} };
    const second = await createTestApp({ database });
    try {
      const after = (await second.app.inject({ method: 'GET', url: `/api/nodes/${town.town.id}` })).json();
      expect(after).toEqual(before);
      // The session cookie issued before the restart still works: sessions are rows, not memory.
      const list = await second.app.inject({ method: 'GET', url: '/api/residents?name=重启', headers });
      expect(list.statusCode).toBe(200);
      expect(list.json().items).toMatchObject([{ name: '重启测试', phone: '135****2222' }]);
      const auditAfter = (await second.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      expect(auditAfter).toBeGreaterThanOrEqual(auditBefore);
    } finally {
      await second.app.close();
    }
  });
});
