import { describe, expect, it } from 'vitest';
import { expectError } from './helpers/app.ts';
import { testEngine } from './helpers/engine.ts';
import { useTestTown } from './helpers/town.ts';

interface Category { code: string; name: string; status: string; deadline: { amount: number; unit: string } }

describe(`the category dictionary and the holiday calendar (${testEngine})`, () => {
  const t = useTestTown();
  const [admin, centre] = t.actors('t_admin', 't_centre');
  const body = {
    code: 'S99001', catalogue: 'social', major: '测试', name: '测试类型', defaultLevel: 'grid', scope: 'household', complexity: 'simple',
    deadline: { amount: 2, unit: 'working_days' }, keywords: ['测试关键词'],
  };

  it('lets administrators add, edit and retire a category, audited; others are refused', async () => {
    expectError(await centre.raw('POST', '/api/categories', body), 403, 'FORBIDDEN');
    const created = await admin.ok<Category>('POST', '/api/categories', body);
    expect(created).toMatchObject({ code: 'S99001', name: '测试类型', status: 'active', deadline: { amount: 2, unit: 'working_days' } });
    expectError(await admin.raw('POST', '/api/categories', body), 409, 'CONFLICT');
    expect(await admin.ok<Category>('PATCH', '/api/categories/S99001', { name: '改名', status: 'retired' })).toMatchObject({ name: '改名', status: 'retired' });
    expectError(await admin.raw('PATCH', '/api/categories/S99999', { name: '无' }), 404, 'NOT_FOUND');
    expectError(await centre.raw('PATCH', '/api/categories/S99001', { name: '无' }), 403, 'FORBIDDEN');
    const active = await centre.ok<{ items: Category[] }>('GET', '/api/categories');
    const all = await centre.ok<{ items: Category[] }>('GET', '/api/categories?all=true');
    expect(active.items.some((c) => c.code === 'S99001')).toBe(false);
    expect(all.items.find((c) => c.code === 'S99001')?.status).toBe('retired');
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('subject_id', '=', 'S99001').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['category.create', 'category.update']);
  });

  it('lets administrators mark and clear calendar days', async () => {
    expectError(await centre.raw('PUT', '/api/calendar/2031-05-06', { kind: 'holiday', name: '测试' }), 403, 'FORBIDDEN');
    expect(await admin.ok('PUT', '/api/calendar/2031-05-06', { kind: 'holiday', name: '测试' })).toEqual({ day: '2031-05-06', kind: 'holiday', name: '测试' });
    expect(await admin.ok('PUT', '/api/calendar/2031-05-06', { kind: 'workday' })).toEqual({ day: '2031-05-06', kind: 'workday', name: '' });
    expect((await centre.ok<{ items: unknown[] }>('GET', '/api/calendar?year=2031')).items).toEqual([{ day: '2031-05-06', kind: 'workday', name: '' }]);
    await admin.ok('DELETE', '/api/calendar/2031-05-06');
    expect((await centre.ok<{ items: unknown[] }>('GET', '/api/calendar?year=2031')).items).toEqual([]);
  });
});
