import { describe, expect, it } from 'vitest';
import { testEngine } from './helpers/engine.ts';
import { useTestTown } from './helpers/town.ts';

describe(`a restart keeps all data (${testEngine})`, () => {
  const t = useTestTown({ persistent: true });

  it('finds the tree, people, sessions and audit trail again after closing and reopening the database', async () => {
    const headers = await t.login('t_worker11');
    const created = await t.app.inject({ method: 'POST', url: '/api/residents', headers, payload: { gridId: t.town.g11.id, name: '重启测试', phone: '13511112222' } });
    expect(created.statusCode).toBe(201);
    const before = (await t.app.inject({ method: 'GET', url: `/api/nodes/${t.town.town.id}` })).json();
    const auditBefore = (await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

    // Close the app and the database, then reopen the same storage: the same folder for PGlite, the same database for PostgreSQL.
    const second = await t.restart();
    const after = (await second.app.inject({ method: 'GET', url: `/api/nodes/${t.town.town.id}` })).json();
    expect(after).toEqual(before);
    // The session cookie issued before the restart still works: sessions are rows, not memory.
    const list = await second.app.inject({ method: 'GET', url: '/api/residents?name=重启', headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toMatchObject([{ name: '重启测试', phone: '135****2222' }]);
    const auditAfter = (await second.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(auditAfter).toBeGreaterThanOrEqual(auditBefore);
  });
});
