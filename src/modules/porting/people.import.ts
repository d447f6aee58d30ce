import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { PeopleService } from '../people/people.service.ts';
import { resolveAssignment } from '../people/roles.service.ts';
import type { UsersService } from '../people/users.service.ts';
import * as structureRepo from '../structure/structure.repository.ts';
import type { RowErrors } from './import.run.ts';
import type { ResidentRow, StaffRow } from './people.rows.ts';
import { RESIDENTS_SHEET, STAFF_SHEET } from './people.workbook.ts';
import { assertMayImportAt } from './porting.policy.ts';
import * as repo from './porting.repository.ts';

export interface PeopleCounts { residents: number; staff: number; households: number; buildings: number }
type Node = NonNullable<Awaited<ReturnType<typeof structureRepo.getNodeByCode>>>;
interface Household { id: number; population: number; firstRow?: number }

/**
 * Step 2 of the people import, inside its transaction: finds or creates the buildings, units and
 * households rows name, then registers each person through the people and users services, which
 * seal the numbers and write the audit trail. Lookups are cached, since one grid serves many rows.
 */
export class PeopleImporter {
  readonly counts: PeopleCounts = { residents: 0, staff: 0, households: 0, buildings: 0 };
  readonly #nodes = new Map<string, Node | null>();
  readonly #buildings = new Map<number, Map<string, number>>();
  readonly #units = new Map<number, Map<string, number>>();
  readonly #households = new Map<number, Map<string, Household>>();

  constructor(
    private readonly trx: Kysely<DB>,
    private readonly ctx: RequestContext,
    private readonly people: PeopleService,
    private readonly users: UsersService,
    private readonly errors: RowErrors,
  ) {}

  async residents(rows: ResidentRow[]): Promise<void> {
    for (const r of rows) {
      const id = await this.errors.attempt({ sheet: RESIDENTS_SHEET, row: r.row }, `${RESIDENTS_SHEET} row ${r.row}`, async () => {
        const grid = await this.node(r.gridCode);
        if (!grid) throw new AppError('NOT_FOUND', `grid code ${r.gridCode} does not exist`);
        if (grid.level !== 'grid' && grid.level !== 'microgrid') throw new AppError('INVALID_HIERARCHY', `Code ${r.gridCode} is a ${grid.level}, not a grid or micro-grid.`);
        if (grid.status === 'retired') throw new AppError('RETIRED', `Grid ${r.gridCode} (${grid.name}) is retired.`);
        assertMayImportAt(this.ctx.actor, grid.path, `grid ${r.gridCode} (${grid.name})`);
        const household = r.building || r.room ? await this.household(grid, r) : null;
        return this.people.createResidentIn(this.trx, this.ctx, { gridId: grid.id, householdId: household, ...r.person });
      });
      if (id !== undefined) this.counts.residents++;
    }
  }

  async staff(rows: StaffRow[]): Promise<void> {
    const accounts = new Map<string, StaffRow[]>();
    for (const r of rows) accounts.set(r.account.username, [...(accounts.get(r.account.username) ?? []), r]);
    for (const [username, group] of accounts) {
      const [first, ...more] = group;
      if (!first) continue;
      let ok = true;
      for (const r of more) {
        if (r.account.displayName !== first.account.displayName) {
          this.errors.add({ sheet: STAFF_SHEET, row: r.row, field: '姓名', message: `${STAFF_SHEET} row ${r.row}: 姓名 ${r.account.displayName} differs from ${first.account.displayName} on row ${first.row} for the same 用户名 ${username}` });
          ok = false;
        }
      }
      // Each role is checked on its own row first, so an error points at the row that holds it.
      for (const r of group) {
        const checked = await this.errors.attempt({ sheet: STAFF_SHEET, row: r.row, field: '范围编码' }, `${STAFF_SHEET} row ${r.row}`, async () => {
          const node = await this.node(r.scopeCode);
          if (!node) throw new AppError('NOT_FOUND', `范围编码 ${r.scopeCode} is not the code of any node`);
          const { path } = await resolveAssignment(this.trx, { role: r.role, nodeId: node.id, abSlot: r.abSlot, employment: r.employment });
          assertMayImportAt(this.ctx.actor, path, `${node.name} (${r.scopeCode})`);
          return true;
        });
        ok &&= checked === true;
      }
      if (!ok) continue;
      const roles = await Promise.all(group.map(async (r) => ({ role: r.role, nodeId: (await this.node(r.scopeCode))?.id, abSlot: r.abSlot, employment: r.employment })));
      const phone = group.find((r) => r.account.phone)?.account.phone ?? null;
      // No password: the account cannot log in until an administrator sets one.
      const id = await this.errors.attempt({ sheet: STAFF_SHEET, row: first.row }, `${STAFF_SHEET} row ${first.row}`,
        () => this.users.createIn(this.trx, this.ctx, { username, displayName: first.account.displayName, phone, roles, passwordHash: null }));
      if (id !== undefined) this.counts.staff++;
    }
  }

  private async node(code: string): Promise<Node | null> {
    if (!this.#nodes.has(code)) this.#nodes.set(code, (await structureRepo.getNodeByCode(this.trx, code)) ?? null);
    return this.#nodes.get(code) ?? null;
  }

  /** Finds or creates the row's household (with its building and unit) and returns its id. */
  private async household(grid: Node, r: ResidentRow): Promise<number> {
    const buildingId = r.building ? await this.building(grid, r.building) : null;
    const unitId = buildingId !== null && r.unit ? await this.unit(buildingId, r.unit) : null;
    let households = this.#households.get(grid.id);
    if (!households) {
      const rows = await repo.listGridHouseholds(this.trx, grid.id);
      households = new Map(rows.map((h) => [householdKey(h.building_id, h.unit_id, h.room), { id: h.id, population: h.population }]));
      this.#households.set(grid.id, households);
    }
    const key = householdKey(buildingId, unitId, r.room);
    const found = households.get(key);
    if (found) {
      // Rows after the first may repeat 人口 or leave it out, but must not contradict it.
      if (found.firstRow !== undefined && r.population !== null && r.population !== found.population) {
        throw new AppError('VALIDATION_FAILED', `人口 ${r.population} differs from ${found.population} given on row ${found.firstRow} for the same household.`);
      }
      return found.id;
    }
    const created = await structureRepo.insertHousehold(this.trx, { gridId: grid.id, buildingId, unitId, room: r.room, population: r.population ?? 0 });
    await appendAudit(this.trx, this.ctx, { action: 'household.create', subjectType: 'household', subjectId: created.id, details: { gridId: grid.id, via: 'import' } });
    households.set(key, { id: created.id, population: created.population, firstRow: r.population === null ? undefined : r.row });
    this.counts.households++;
    return created.id;
  }

  private async building(grid: Node, name: string): Promise<number> {
    let buildings = this.#buildings.get(grid.id);
    if (!buildings) {
      const rows = await structureRepo.listBuildings(this.trx, grid.id);
      buildings = new Map(rows.filter((b) => b.status === 'active').map((b) => [b.name, b.id]));
      this.#buildings.set(grid.id, buildings);
    }
    const found = buildings.get(name);
    if (found !== undefined) return found;
    const created = await structureRepo.insertBuilding(this.trx, { gridId: grid.id, name, address: '', lng: null, lat: null });
    await appendAudit(this.trx, this.ctx, { action: 'building.create', subjectType: 'building', subjectId: created.id, details: { gridId: grid.id, name, via: 'import' } });
    buildings.set(name, created.id);
    this.counts.buildings++;
    return created.id;
  }

  private async unit(buildingId: number, name: string): Promise<number> {
    let units = this.#units.get(buildingId);
    if (!units) {
      units = new Map((await structureRepo.listUnits(this.trx, [buildingId])).map((u) => [u.name, u.id]));
      this.#units.set(buildingId, units);
    }
    const found = units.get(name);
    if (found !== undefined) return found;
    const created = await structureRepo.insertUnit(this.trx, buildingId, name);
    units.set(name, created.id);
    return created.id;
  }
}

const householdKey = (buildingId: number | null, unitId: number | null, room: string) => `${buildingId ?? ''}|${unitId ?? ''}|${room}`;
