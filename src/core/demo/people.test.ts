import { describe, expect, it } from 'vitest';
import { generateDemoTown } from './generate.ts';
import { isMobileNumber } from './phone.ts';
import type { DemoPerson, DemoScope, DemoTown, Role } from './spec.ts';

const town = generateDemoTown();
const grids = town.communities.flatMap((c) => c.grids);
const residential = grids.filter((g) => g.kind === 'residential');
const gridByCode = new Map(grids.map((g) => [g.code, g]));
const communityOfGrid = new Map(town.communities.flatMap((c) => c.grids.map((g) => [g.code, c.code])));
const withRole = (role: Role): DemoPerson[] => town.people.filter((p) => p.roles.some((r) => r.role === role));

describe('phones and usernames', () => {
  it('gives everyone a unique mobile number; a resident with an account keeps the same one', () => {
    const byUsername = new Map(town.residents.filter((r) => r.username !== null).map((r) => [r.username, r]));
    const phones = [...town.residents.map((r) => r.phone), ...town.people.filter((p) => !byUsername.has(p.username)).map((p) => p.phone)];
    for (const phone of phones) expect(isMobileNumber(phone)).toBe(true);
    expect(new Set(phones).size).toBe(phones.length);
    for (const p of town.people) {
      const r = byUsername.get(p.username);
      if (r) expect([p.name, p.gender, p.phone]).toEqual([r.name, r.gender, r.phone]);
    }
  });

  it('has unique ASCII usernames, and every resident username is an account', () => {
    const usernames = town.people.map((p) => p.username);
    expect(new Set(usernames).size).toBe(usernames.length);
    for (const u of usernames) expect(u).toMatch(/^[a-z0-9_]+$/);
    const accounts = new Set(usernames);
    for (const r of town.residents) if (r.username !== null) expect(accounts.has(r.username)).toBe(true);
  });
});

describe('roles', () => {
  it('creates the fixed README accounts with the right roles', () => {
    const expected: [string, Role][] = [
      ['admin', 'admin'], ['admin_district', 'admin'], ['centre1', 'centre_operator'], ['centre2', 'centre_operator'],
      ['centre3', 'centre_operator'], ['board_livelihood', 'board_lead'], ['board_safety', 'board_lead'],
      ['board_party', 'board_lead'], ['board_economy', 'board_lead'], ['post_traffic', 'post_handler'],
      ['dept_police', 'department_handler'], ['dept_market', 'department_handler'], ['c01_staff1', 'community_staff'],
      ['w01001', 'grid_worker'], ['mediator1', 'mediator'], ['mediator2', 'mediator'], ['merchant1', 'merchant'],
      ['merchant5', 'merchant'], ['resident1', 'resident'], ['resident5', 'resident'],
    ];
    const byName = new Map(town.people.map((p) => [p.username, p]));
    for (const [username, role] of expected) expect(byName.get(username)?.roles.map((r) => r.role)).toContain(role);
    expect(byName.get('admin')?.roles[0]?.scope).toEqual({ kind: 'node', code: town.town.code });
    expect(byName.get('admin_district')?.roles[0]?.scope).toEqual({ kind: 'node', code: town.district.code });
    const posts = town.boards.reduce((s, b) => s + b.posts.length, 0);
    expect(withRole('post_handler')).toHaveLength(posts);
    expect(withRole('department_handler')).toHaveLength(town.departments.length);
  });

  it('gives every grid exactly one chief A and one chief B from its own community staff', () => {
    for (const g of grids) {
      const chiefs = town.people.flatMap((p) =>
        p.roles.filter((r) => r.role === 'grid_chief' && r.scope.kind === 'node' && r.scope.code === g.code).map((r) => ({ p, r })),
      );
      expect(chiefs.map((c) => c.r.abSlot).sort()).toEqual(['A', 'B']);
      expect(chiefs[0]?.p.username).not.toBe(chiefs[1]?.p.username);
      for (const { p } of chiefs) {
        const staffOf = p.roles.filter((r) => r.role === 'community_staff').map((r) => (r.scope.kind === 'node' ? r.scope.code : ''));
        expect(staffOf).toContain(communityOfGrid.get(g.code));
      }
    }
    for (const c of town.communities) {
      const staff = withRole('community_staff').filter((p) => p.roles.some((r) => r.scope.kind === 'node' && r.scope.code === c.code));
      expect(staff.length).toBeGreaterThanOrEqual(4);
      expect(staff.length).toBeLessThanOrEqual(6);
    }
  });

  it('gives every residential grid a full-time worker and every building a head', () => {
    const fullTime = new Set(
      town.people.flatMap((p) => p.roles.filter((r) => r.role === 'grid_worker' && r.employment === 'full_time').map((r) => scopeKey(r.scope))),
    );
    for (const g of residential) expect(fullTime.has(`node:${g.code}`)).toBe(true);
    const headed = new Set(town.people.flatMap((p) => p.roles.filter((r) => r.role === 'building_head').map((r) => scopeKey(r.scope))));
    for (const g of residential) {
      g.buildings.forEach((_, b) => {
        expect(headed.has(`building:${g.code}:${b}`)).toBe(true);
      });
    }
    const units = residential.reduce((s, g) => s + g.buildings.reduce((t, b) => t + b.units.length, 0), 0);
    const unitHeads = withRole('unit_head').length;
    expect(unitHeads / units).toBeGreaterThan(0.35);
    expect(unitHeads / units).toBeLessThan(0.65);
    expect(withRole('volunteer').length).toBeGreaterThanOrEqual(140);
    expect(withRole('volunteer').length).toBeLessThanOrEqual(160);
  });

  it('places building heads, unit heads and demo residents where their resident record lives', () => {
    const byUsername = new Map(town.residents.map((r) => [r.username, r]));
    for (const p of [...withRole('building_head'), ...withRole('unit_head'), ...withRole('resident')]) {
      const r = byUsername.get(p.username);
      const scope = p.roles[0]?.scope;
      expect(r).toBeDefined();
      if (!r || !scope) continue;
      if (scope.kind === 'building') expect([scope.gridCode, scope.building]).toEqual([r.gridCode, r.building]);
      else if (scope.kind === 'unit') expect([scope.gridCode, scope.building, scope.unit]).toEqual([r.gridCode, r.building, r.unit]);
      else expect(scope).toEqual({ kind: 'node', code: r.gridCode });
    }
  });

  it('only uses scopes that refer to something that exists', () => {
    for (const p of town.people) for (const r of p.roles) expect(scopeExists(town, r.scope), `${p.username} ${scopeKey(r.scope)}`).toBe(true);
  });
});

function scopeKey(scope: DemoScope): string {
  switch (scope.kind) {
    case 'node': return `node:${scope.code}`;
    case 'department': return `department:${scope.name}`;
    case 'post': return `post:${scope.board}:${scope.name}`;
    case 'board': return `board:${scope.board}`;
    case 'building': return `building:${scope.gridCode}:${scope.building}`;
    case 'unit': return `unit:${scope.gridCode}:${scope.building}:${scope.unit}`;
  }
}

function scopeExists(t: DemoTown, scope: DemoScope): boolean {
  switch (scope.kind) {
    case 'node': {
      const codes = [t.district.code, t.town.code, ...t.communities.map((c) => c.code), ...grids.map((g) => g.code)];
      return codes.includes(scope.code) || grids.some((g) => g.microgrids.some((m) => m.code === scope.code));
    }
    case 'department': return t.departments.some((d) => d.name === scope.name);
    case 'post': return t.boards.some((b) => b.kind === scope.board && b.posts.includes(scope.name));
    case 'board': return t.boards.some((b) => b.kind === scope.board);
    case 'building': return gridByCode.get(scope.gridCode)?.buildings[scope.building] !== undefined;
    case 'unit': return gridByCode.get(scope.gridCode)?.buildings[scope.building]?.units[scope.unit] !== undefined;
  }
}
