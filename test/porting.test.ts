import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { idNumberChecksum } from '../src/core/idcard.ts';
import { expectError } from './helpers/app.ts';
import { rect } from './helpers/factory.ts';
import { useTestTown } from './helpers/town.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const RESIDENT_HEADER = ['网格编码', '楼栋', '单元', '房号', '人口', '姓名', '性别(男/女)', '出生日期', '手机号', '身份证号'];
const STAFF_HEADER = ['用户名', '姓名', '手机号', '角色', '范围编码', 'AB角', '专兼职'];
type Cell = string | number | Date | null;
interface RowError { sheet?: string; row?: number; field?: string; message: string }

/** A valid 18-digit ID number for a birth date and sequence (check digit computed). */
const idNumber = (birth: string, seq: string) => {
  const first17 = `500105${birth}${seq}`;
  return `${first17}${idNumberChecksum(first17)}`;
};

async function workbook(sheets: Record<string, Cell[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) wb.addWorksheet(name).addRows(rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(data: Buffer | string, filename = 'people.xlsx', type = XLSX): FormData {
  const form = new FormData();
  form.append('file', new Blob([data], { type }), filename);
  return form;
}

const feature = (code: string, name: string, level: string, geometry: unknown = null, extra: Record<string, unknown> = {}) =>
  ({ type: 'Feature', properties: { code, name, level, ...extra }, geometry });
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const errorsOf = (res: LightMyRequestResponse): RowError[] => res.json().error.details.errors;

describe('import and export of the tree and of people', () => {
  const t = useTestTown();
  const [admin, worker] = t.sessions('t_admin', 't_worker11');
  const count = async (table: 'nodes' | 'residents' | 'households' | 'buildings' | 'users') =>
    (await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const counts = async () => ({ nodes: await count('nodes'), residents: await count('residents'), households: await count('households'), buildings: await count('buildings'), users: await count('users') });
  const importTree = (payload: unknown, query = '', headers = admin) =>
    t.app.inject({ method: 'POST', url: `/api/admin/import/tree${query}`, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  const importPeople = (form: FormData, query = '', headers = admin) => t.app.inject({ method: 'POST', url: `/api/admin/import/people${query}`, headers, payload: form });
  const locate = async (lng: number, lat: number) => (await t.app.inject({ method: 'GET', url: `/api/geo/locate?lng=${lng}&lat=${lat}` })).json();

  describe('the tree as GeoJSON', () => {
    // Children first on purpose: the import sorts by level, so the order of the file does not matter.
    const newCommunity = collection(
      feature('500105004003002', '新村2网格', 'grid', rect(106.54, 29.5, 106.55, 29.52), { kind: 'shops' }),
      feature('500105004003001', '新村1网格', 'grid', rect(106.53, 29.5, 106.54, 29.52), { estateType: 'resettlement', estateName: '新村安置房' }),
      feature('500105004003', '新村社区', 'community', rect(106.53, 29.5, 106.55, 29.52)),
    );

    it('checks a dry run without writing, then creates a community with two grids that point lookup finds', async () => {
      const before = await count('nodes');
      const dry = await importTree(newCommunity, '?dryRun=true');
      expect(dry.statusCode).toBe(200);
      expect(dry.json()).toEqual({ created: 3, updated: 0, unchanged: 0, dryRun: true });
      expect(await count('nodes')).toBe(before);
      expect((await locate(106.545, 29.51)).grid).toBeNull();

      const res = await importTree(newCommunity);
      expect(res.json()).toEqual({ created: 3, updated: 0, unchanged: 0, dryRun: false });
      expect(await count('nodes')).toBe(before + 3);
      const found = await locate(106.545, 29.51);
      expect(found.grid).toMatchObject({ code: '500105004003002', name: '新村2网格' });
      expect(found.community).toMatchObject({ code: '500105004003', name: '新村社区' });
      expect((await locate(106.535, 29.51)).grid.code).toBe('500105004003001');
    });

    it('exports a subtree that imports back unchanged, and applies an edited name as an update', async () => {
      // A retired node travels with its status and is left alone on the way back in.
      const retiring = (await locate(106.545, 29.51)).grid.id;
      expect((await t.app.inject({ method: 'POST', url: `/api/nodes/${retiring}/retire`, headers: admin, payload: {} })).statusCode).toBe(204);
      const exported = await t.app.inject({ method: 'GET', url: `/api/admin/export/tree?nodeId=${t.town.town.id}`, headers: admin });
      expect(exported.statusCode).toBe(200);
      const tree = exported.json();
      const nodesUnderTown = (await t.deps.db.selectFrom('nodes').select(['code', 'name']).where('path', 'like', `${t.town.town.path}%`).orderBy('code').execute());
      expect(tree.features.map((f: { properties: { code: string; name: string } }) => ({ code: f.properties.code, name: f.properties.name })))
        .toEqual(nodesUnderTown);
      const retired = tree.features.find((f: { properties: { code: string } }) => f.properties.code === '500105004003002');
      expect(retired.properties).toMatchObject({ status: 'retired', kind: 'shops', parentCode: '500105004003', level: 'grid' });
      expect(retired.geometry.type).toBe('Polygon');

      const before = await count('nodes');
      const again = await importTree(tree);
      expect(again.json()).toEqual({ created: 0, updated: 0, unchanged: nodesUnderTown.length, dryRun: false });
      expect(await count('nodes')).toBe(before);
      expect(await t.deps.db.selectFrom('nodes').select(['code', 'name']).where('path', 'like', `${t.town.town.path}%`).orderBy('code').execute()).toEqual(nodesUnderTown);

      const g11 = tree.features.find((f: { properties: { code: string } }) => f.properties.code === '500105004001001');
      g11.properties.name = '花园一网格';
      expect((await importTree(tree)).json()).toEqual({ created: 0, updated: 1, unchanged: nodesUnderTown.length - 1, dryRun: false });
      expect((await t.app.inject({ method: 'GET', url: `/api/nodes/${t.town.g11.id}` })).json().name).toBe('花园一网格');
    });

    it('refuses a file that is not a FeatureCollection', async () => {
      const before = await count('nodes');
      for (const payload of [feature('500105004004', '某社区', 'community'), { type: 'FeatureCollection', features: 'none' }, [1, 2]]) {
        const res = await importTree(payload);
        expectError(res, 400, 'INVALID_GEOJSON');
        expect(errorsOf(res)[0]?.message).toMatch(/FeatureCollection|features/);
      }
      expect(await count('nodes')).toBe(before);
    });

    it.each([
      ['a ring that is not closed', 'INVALID_GEOJSON', feature('500105004002003', '坏网格', 'grid', { type: 'Polygon', coordinates: [[[106.52, 29.5], [106.53, 29.5], [106.53, 29.51], [106.52, 29.51]]] }), /feature 2 \(500105004002003\): geometry: ring 0 is not closed: its first and last positions differ/],
      ['a grid whose parent code is unknown', 'IMPORT_FAILED', feature('500105004009001', '无主网格', 'grid'), /feature 2 \(500105004009001\): parent code 500105004009 does not exist/],
      ['a duplicate code in the file', 'IMPORT_FAILED', feature('500105004002002', '重复网格', 'grid'), /feature 2 \(500105004002002\): code 500105004002002 appears more than once in the file \(first in feature 1\)/],
      ['a name of 500 characters', 'IMPORT_FAILED', feature('500105004002003', '长'.repeat(500), 'grid'), /feature 2 \(500105004002003\): name must be at most 100 characters/],
    ])('refuses %s, names the feature, and writes nothing', async (_what, code, bad, message) => {
      const before = await count('nodes');
      // The first feature is fine on its own; it must not be created when another one fails.
      const res = await importTree(collection(feature('500105004002002', '建新2网格', 'grid', rect(106.52, 29.52, 106.53, 29.53)), bad));
      expectError(res, 400, code);
      expect(res.json().error.message).toMatch(/^1 feature has errors; nothing was imported\. Features are numbered from 1/);
      expect(errorsOf(res)).toHaveLength(1);
      expect(errorsOf(res)[0]).toMatchObject({ row: 2 });
      expect(errorsOf(res)[0]?.message).toMatch(message);
      expect(await count('nodes')).toBe(before);
    });

    it('lets only administrators import or export the tree', async () => {
      expectError(await importTree(newCommunity, '', worker), 403, 'FORBIDDEN');
      expectError(await t.app.inject({ method: 'GET', url: `/api/admin/export/tree?nodeId=${t.town.g11.id}`, headers: worker }), 403, 'FORBIDDEN');
      expectError(await t.app.inject({ method: 'GET', url: `/api/admin/export/tree?nodeId=${t.town.town.id}` }), 401, 'UNAUTHENTICATED');
      // The town administrator may not export the district above the t.town.
      expectError(await t.app.inject({ method: 'GET', url: `/api/admin/export/tree?nodeId=${t.town.district.id}`, headers: admin }), 403, 'FORBIDDEN');
    });
  });

  describe('people as Excel', () => {
    const g21 = '500105004002001';
    const g12 = '500105004001002';

    it('imports residents into new and existing buildings and households, shown masked afterwards', async () => {
      const file = await workbook({
        居民: [
          RESIDENT_HEADER,
          [g21, '2栋', '1单元', '501', 3, '赵六', '男', '1980-05-01', '13600001111', idNumber('19800501', '001')],
          [g21, '2栋', '1单元', '501', null, '赵小六', '女', '2010-06-01', null, null],
          [g21, '2栋', '2单元', '601', 2, '钱七', '女', new Date(Date.UTC(1975, 1, 3)), 13600002222, null],
          ['500105004001001', '1栋', '1单元', '101', null, '孙八', '男', '1955/7/9', '13600003333', null],
        ],
      });
      const before = await counts();
      const dry = await importPeople(upload(file), '?dryRun=true');
      expect(dry.json()).toEqual({ residents: 4, staff: 0, households: 2, buildings: 1, dryRun: true });
      expect(await counts()).toEqual(before);

      const res = await importPeople(upload(file));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ residents: 4, staff: 0, households: 2, buildings: 1, dryRun: false });
      const listed = (await t.app.inject({ method: 'GET', url: `/api/residents?gridId=${t.town.g21.id}`, headers: admin })).json().items;
      const zhao = listed.find((r: { name: string }) => r.name === '赵六');
      expect(zhao).toMatchObject({ phone: '136****1111', gender: 'M', birthDate: '1980-05-01', room: '501' });
      expect(listed.find((r: { name: string }) => r.name === '赵小六').householdId).toBe(zhao.householdId);
      expect(listed.find((r: { name: string }) => r.name === '钱七')).toMatchObject({ birthDate: '1975-02-03', phone: '136****2222' });
      const households = (await t.app.inject({ method: 'GET', url: `/api/households?gridId=${t.town.g21.id}`, headers: admin })).json().items;
      expect(households.find((h: { id: number }) => h.id === zhao.householdId).population).toBe(3);
      // The resident in g11 joined the existing household 101 rather than a new one.
      const sun = (await t.app.inject({ method: 'GET', url: `/api/residents?gridId=${t.town.g11.id}&name=孙八`, headers: admin })).json().items[0];
      expect(sun.householdId).toBe(t.town.households.h1.id);
    });

    it('refuses a sheet with bad rows, lists every one by its Excel row number, and creates nothing', async () => {
      const file = await workbook({
        居民: [
          RESIDENT_HEADER,
          [g12, '9栋', '1单元', '101', 2, '周一', '男', '1990-01-01', '13700000001', null],
          [g12, '9栋', '1单元', '102', 2, '吴二', '女', '1990-01-02', '12345', null],
          [g12, '9栋', '1单元', '103', 2, '郑三', '男', '1990-01-03', '13700000003', null],
          ['500105004001009', '9栋', '1单元', '104', 2, '冯四', '女', '1990-01-04', '13700000004', null],
          [g12, '9栋', '2单元', '201', 1, '陈五', '男', '1990-01-05', '13700000005', null],
        ],
      });
      const before = await counts();
      const res = await importPeople(upload(file));
      expectError(res, 400, 'IMPORT_FAILED');
      expect(res.json().error.message).toBe('2 rows have errors; nothing was imported. Rows are numbered as in Excel: the header is row 1, so the first person is row 2.');
      const errors = errorsOf(res);
      expect(errors.map((e) => e.row)).toEqual([3, 5]);
      expect(errors[0]).toMatchObject({ sheet: '居民', field: '手机号' });
      expect(errors[0]?.message).toBe('居民 row 3: 手机号 must be an 11-digit mainland mobile number such as 13812345678');
      expect(errors[1]?.message).toBe('居民 row 5: grid code 500105004001009 does not exist');
      expect(await counts()).toEqual(before);
    });

    it('accepts only .xlsx workbooks', async () => {
      expectError(await importPeople(upload('name,phone\n', 'people.csv', 'text/csv')), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await importPeople(upload('not really a workbook', 'people.xlsx')), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await importPeople(upload(await workbook({ 居民: [RESIDENT_HEADER] }), 'people.xlsx', 'image/png')), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await t.app.inject({ method: 'POST', url: '/api/admin/import/people', headers: admin, payload: { rows: [] } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('lets only administrators import people', async () => {
      const file = await workbook({ 居民: [RESIDENT_HEADER, ['500105004001001', null, null, '', null, '某人', null, null, null, null]] });
      const before = await counts();
      expectError(await importPeople(upload(file), '', worker), 403, 'FORBIDDEN');
      expect(await counts()).toEqual(before);
    });

    it('creates staff accounts from the 工作人员 sheet with their roles, and no password', async () => {
      const file = await workbook({
        工作人员: [
          STAFF_HEADER,
          ['gw_new', '新网格员', '13500001234', '网格员', g12, null, '兼职'],
          ['gw_new', '新网格员', null, 'volunteer', '500105004001', null, null],
          ['chief_b', '建新网格长', null, '网格长', g21, 'B', null],
        ],
      });
      const res = await importPeople(upload(file));
      expect(res.json()).toEqual({ residents: 0, staff: 2, households: 0, buildings: 0, dryRun: false });
      const users = (await t.app.inject({ method: 'GET', url: '/api/users?q=gw_new', headers: admin })).json().items;
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ username: 'gw_new', displayName: '新网格员', phone: '135****1234' });
      expect(users[0].roles).toEqual(expect.arrayContaining([
        expect.objectContaining({ role: 'grid_worker', nodeId: t.town.g12.id, employment: 'part_time' }),
        expect.objectContaining({ role: 'volunteer', nodeId: t.town.c1.id }),
      ]));
      const chief = (await t.app.inject({ method: 'GET', url: '/api/users?q=chief_b', headers: admin })).json().items[0];
      expect(chief.roles).toEqual([expect.objectContaining({ role: 'grid_chief', nodeId: t.town.g21.id, abSlot: 'B' })]);
      expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'gw_new', password: 'anything-at-all' } })).statusCode).toBe(401);

      const taken = await importPeople(upload(await workbook({ 工作人员: [STAFF_HEADER, ['gw_new', '别人', null, '志愿者', g12, null, null], ['x_b', '某人', null, '楼栋长', g12, null, null]] })));
      expectError(taken, 400, 'IMPORT_FAILED');
      expect(errorsOf(taken).map((e) => e.message)).toEqual([
        '工作人员 row 2: the username gw_new is taken',
        expect.stringMatching(/^工作人员 row 3: 角色 楼栋长 belongs to a board, post, department, building or unit/),
      ]);
    });

    it('exports residents and staff with masked numbers only, and audits the export', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/admin/export/people.xlsx?nodeId=${t.town.town.id}`, headers: admin });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX);
      expect(res.headers['content-disposition']).toBe('attachment; filename="people-500105004000.xlsx"');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(new Uint8Array(res.rawPayload).buffer);
      const rows = (name: string) => (wb.getWorksheet(name)?.getSheetValues() ?? []).flatMap((r) => (Array.isArray(r) ? [r.slice(1).map((v) => (v == null ? '' : String(v)))] : []));
      const residents = rows('居民');
      expect(residents[0]).toEqual(RESIDENT_HEADER);
      const wang = residents.find((r) => r[5] === '王建国');
      expect(wang).toEqual(['500105004001001', '1栋', '1单元', '101', '3', '王建国', '男', '1950-03-07', '138****5678', '1101**********002X']);
      expect(residents.find((r) => r[5] === '赵六')?.[8]).toBe('136****1111');
      const everything = [...residents, ...rows('工作人员')].flat().join('|');
      for (const full of ['13812345678', '11010519491231002X', '13600001111', '13500001234']) expect(everything).not.toContain(full);
      expect(rows('工作人员')).toContainEqual(['t_worker11', '网格员甲', '', '网格员', '500105004001001', '', '专职']);
      const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'subject_id']).where('action', '=', 'people.export').execute();
      expect(audit).toEqual([{ action: 'people.export', subject_id: String(t.town.town.id) }]);
      expectError(await t.app.inject({ method: 'GET', url: `/api/admin/export/people.xlsx?nodeId=${t.town.g11.id}`, headers: worker }), 403, 'FORBIDDEN');
    });
  });
});
