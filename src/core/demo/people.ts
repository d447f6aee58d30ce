// Accounts of the "3+2+N" people and the governance centre, with fixed usernames the README can quote.
import { BOARD_SPECS, DEMO_DISTRICT, DEMO_TOWN, DEPARTMENT_SPECS } from './catalog.ts';
import { personName } from './names.ts';
import type { PhoneAllocator } from './phone.ts';
import { at, type Rng } from '../prng.ts';
import type { ResidentAccountRole, ResidentsResult } from './residents.ts';
import type { DemoCommunity, DemoPerson, DemoResident, DemoRole, DemoScope } from './spec.ts';

export const DEMO_VOLUNTEERS = 150;
export const DEMO_CENTRE_OPERATORS = 3;
export const DEMO_MEDIATORS = 2;
export const DEMO_MERCHANTS = 5;

const node = (code: string): DemoScope => ({ kind: 'node', code });
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Community staff scale with grid count (about one per four grids) within 4–6. */
export function staffCount(gridCount: number): number {
  return Math.min(6, Math.max(4, Math.round(gridCount / 4)));
}

export function buildPeople(
  rng: Rng,
  phones: PhoneAllocator,
  communities: DemoCommunity[],
  { residents, accountHolders }: ResidentsResult,
): DemoPerson[] {
  const people: DemoPerson[] = [];
  const staff = (username: string, roles: DemoRole[]): DemoPerson => {
    const gender: DemoPerson['gender'] = rng.chance(0.55) ? 'F' : 'M';
    const person: DemoPerson = { username, name: personName(rng, gender, rng.int(1965, 1998)), gender, phone: phones.next(), roles };
    people.push(person);
    return person;
  };
  const town = node(DEMO_TOWN.code);

  staff('admin', [{ role: 'admin', scope: town }]);
  staff('admin_district', [{ role: 'admin', scope: node(DEMO_DISTRICT.code) }]);
  for (let i = 1; i <= DEMO_CENTRE_OPERATORS; i++) staff(`centre${i}`, [{ role: 'centre_operator', scope: town }]);
  for (const board of BOARD_SPECS) {
    staff(`board_${board.slug}`, [{ role: 'board_lead', scope: { kind: 'board', board: board.kind } }]);
  }
  for (const board of BOARD_SPECS) {
    for (const post of board.posts) {
      staff(`post_${post.slug}`, [{ role: 'post_handler', scope: { kind: 'post', board: board.kind, name: post.name } }]);
    }
  }
  for (const { slug, department } of DEPARTMENT_SPECS) {
    staff(`dept_${slug}`, [{ role: 'department_handler', scope: { kind: 'department', name: department.name } }]);
  }
  for (let i = 1; i <= DEMO_MEDIATORS; i++) staff(`mediator${i}`, [{ role: 'mediator', scope: town }]);
  for (let i = 1; i <= DEMO_MERCHANTS; i++) staff(`merchant${i}`, [{ role: 'merchant', scope: town }]);

  // Community staff double as grid chiefs: each takes a consecutive block of grids as A, the next block as B.
  communities.forEach((community, ci) => {
    const team = Array.from({ length: staffCount(community.grids.length) }, (_, s) =>
      staff(`c${pad(ci + 1, 2)}_staff${s + 1}`, [{ role: 'community_staff', scope: node(community.code) }]),
    );
    community.grids.forEach((grid, gi) => {
      const a = Math.floor((gi * team.length) / community.grids.length);
      at(team, a).roles.push({ role: 'grid_chief', scope: node(grid.code), abSlot: 'A' });
      at(team, (a + 1) % team.length).roles.push({ role: 'grid_chief', scope: node(grid.code), abSlot: 'B' });
    });
  });

  // One grid worker per grid: full-time for residential grids (≤ 260 households), part-time for dedicated ones.
  communities.forEach((community, ci) => {
    community.grids.forEach((grid, gi) => {
      const employment = grid.kind === 'residential' ? 'full_time' : 'part_time';
      staff(`w${pad(ci + 1, 2)}${pad(gi + 1, 3)}`, [{ role: 'grid_worker', scope: node(grid.code), employment }]);
    });
  });

  // Volunteers are dealt over the grids in shuffled order, so every grid gets at least one when there are enough.
  const grids = rng.shuffle(communities.flatMap((c) => c.grids));
  for (let i = 0; i < DEMO_VOLUNTEERS; i++) {
    staff(`v${pad(i + 1, 3)}`, [{ role: 'volunteer', scope: node(at(grids, i % grids.length).code) }]);
  }

  // Building heads, unit heads and demo residents are residents who log in: reuse their identity.
  for (const { index, role } of accountHolders) {
    const r = at(residents, index);
    if (r.username === null) throw new Error(`account holder ${index} has no username`);
    people.push({ username: r.username, name: r.name, gender: r.gender, phone: r.phone, roles: [residentRole(r, role)] });
  }
  return people;
}

function residentRole(r: DemoResident, role: ResidentAccountRole): DemoRole {
  switch (role) {
    case 'building_head':
      return { role, scope: { kind: 'building', gridCode: r.gridCode, building: r.building } };
    case 'unit_head':
      return { role, scope: { kind: 'unit', gridCode: r.gridCode, building: r.building, unit: r.unit } };
    case 'resident':
      return { role, scope: node(r.gridCode) };
  }
}
