// Registered residents: whole families in a sample of households, including every building and unit head's.
import { DEMO_DISTRICT } from './catalog.ts';
import { daysInMonth } from '../idcard.ts';
import { makeIdNumber } from './idnumbers.ts';
import { personName, pickSurname } from './names.ts';
import type { PhoneAllocator } from './phone.ts';
import type { Rng } from '../prng.ts';
import type { DemoCommunity, DemoResident } from './spec.ts';

/** Ages are computed against this fixed date so the output never depends on the clock. */
export const DEMO_REFERENCE_DATE = '2024-06-30';
export const DEMO_RESIDENT_TARGET = 4000;
export const DEMO_RESIDENT_ACCOUNTS = 5;

interface HouseholdRef {
  communityNo: number;
  gridNo: number;
  gridCode: string;
  building: number;
  unit: number;
  household: number;
  population: number;
}

interface Member {
  gender: 'M' | 'F';
  age: number;
  surname: string;
}

export type ResidentAccountRole = 'building_head' | 'unit_head' | 'resident';

interface Account {
  username: string;
  role: ResidentAccountRole;
}

export interface ResidentsResult {
  residents: DemoResident[];
  /** Residents who log in: building heads, then unit heads, then demo residents. */
  accountHolders: { index: number; role: ResidentAccountRole }[];
}

const key = (h: HouseholdRef): string => `${h.gridCode}/${h.building}/${h.unit}/${h.household}`;

export function buildResidents(rng: Rng, phones: PhoneAllocator, communities: DemoCommunity[]): ResidentsResult {
  const all: HouseholdRef[] = [];
  const chosen = new Map<string, { ref: HouseholdRef; account: Account | null }>();
  let registered = 0;
  const choose = (ref: HouseholdRef, account: Account | null): void => {
    chosen.set(key(ref), { ref, account });
    registered += ref.population;
  };

  communities.forEach((community, ci) => {
    community.grids.forEach((grid, gi) => {
      if (grid.kind !== 'residential') return;
      const prefix = `${String(ci + 1).padStart(2, '0')}${String(gi + 1).padStart(3, '0')}`;
      grid.buildings.forEach((building, b) => {
        const refs = building.units.map((unit, u) =>
          unit.households.map((h, i): HouseholdRef => ({
            communityNo: ci + 1, gridNo: gi + 1, gridCode: grid.code, building: b, unit: u, household: i, population: h.population,
          })),
        );
        all.push(...refs.flat());
        // The building head lives somewhere in the building; unit heads in about half the units.
        const head = rng.pick(refs.flat());
        choose(head, { username: `b${prefix}_${b + 1}`, role: 'building_head' });
        refs.forEach((unitRefs, u) => {
          if (!rng.chance(0.5)) return;
          const candidates = unitRefs.filter((r) => key(r) !== key(head));
          if (candidates.length === 0) return;
          choose(rng.pick(candidates), { username: `u${prefix}_${b + 1}_${u + 1}`, role: 'unit_head' });
        });
      });
    });
  });

  // Top up with random households; the first few in distinct grids get the demo resident logins.
  const demoGrids = new Set<string>();
  for (const ref of rng.shuffle(all)) {
    if (registered >= DEMO_RESIDENT_TARGET) break;
    if (chosen.has(key(ref))) continue;
    let account: Account | null = null;
    if (demoGrids.size < DEMO_RESIDENT_ACCOUNTS && !demoGrids.has(ref.gridCode)) {
      demoGrids.add(ref.gridCode);
      account = { username: `resident${demoGrids.size}`, role: 'resident' };
    }
    choose(ref, account);
  }

  const ordered = [...chosen.values()].sort((x, y) => compareRefs(x.ref, y.ref));
  const usedIds = new Set<string>();
  const residents: DemoResident[] = [];
  const accountHolders: ResidentsResult['accountHolders'] = [];
  for (const { ref, account } of ordered) {
    family(rng, ref.population).forEach((m, i) => {
      const birthDate = birthDateFor(rng, m.age);
      const birthYear = Number(birthDate.slice(0, 4));
      if (i === 0 && account !== null) accountHolders.push({ index: residents.length, role: account.role });
      residents.push({
        name: personName(rng, m.gender, birthYear, m.surname),
        gender: m.gender,
        birthDate,
        phone: phones.next(),
        idNumber: makeIdNumber(DEMO_DISTRICT.code, birthDate, m.gender, rng, usedIds),
        gridCode: ref.gridCode,
        building: ref.building,
        unit: ref.unit,
        household: ref.household,
        username: i === 0 && account !== null ? account.username : null,
      });
    });
  }
  const rank: Record<ResidentAccountRole, number> = { building_head: 0, unit_head: 1, resident: 2 };
  accountHolders.sort((x, y) => rank[x.role] - rank[y.role] || x.index - y.index);
  return { residents, accountHolders };
}

function compareRefs(a: HouseholdRef, b: HouseholdRef): number {
  return a.communityNo - b.communityNo || a.gridNo - b.gridNo || a.building - b.building || a.unit - b.unit || a.household - b.household;
}

// Householder ages skew older: urban-fringe towns keep their elderly while the young commute out.
const HEAD_AGE_BANDS: readonly (readonly [[number, number], number])[] = [
  [[22, 34], 15], [[35, 49], 22], [[50, 64], 30], [[65, 80], 25], [[81, 92], 8],
];

const clampAge = (age: number): number => Math.min(95, Math.max(1, age));

/** A plausible household: householder, usually a spouse, then children or an elderly parent. */
function family(rng: Rng, population: number): Member[] {
  const [lo, hi] = rng.weighted(HEAD_AGE_BANDS);
  const headAge = rng.int(lo, hi);
  const headGender = rng.chance(population === 1 ? 0.45 : 0.7) ? 'M' : 'F';
  const headSurname = pickSurname(rng);
  const members: Member[] = [{ gender: headGender, age: headAge, surname: headSurname }];
  let familySurname = headSurname;
  if (population >= 2 && (population > 2 || rng.chance(0.7))) {
    const spouseGender = headGender === 'M' ? 'F' : 'M';
    const spouseSurname = pickSurname(rng);
    if (spouseGender === 'M') familySurname = spouseSurname;
    // Husbands are usually a few years older than their wives; nobody marries under 20.
    const gap = rng.int(-3, 5) * (headGender === 'M' ? -1 : 1);
    members.push({ gender: spouseGender, age: clampAge(Math.max(20, headAge + gap)), surname: spouseSurname });
  }
  let elder = false;
  while (members.length < population) {
    const gender = rng.chance(0.5) ? 'M' : 'F';
    if (!elder && headAge <= 68 && (population === 5 || rng.chance(0.25))) {
      elder = true;
      // Widowed mothers are the commonest live-in parent; a father passes on the householder's surname.
      const parentGender = rng.chance(0.7) ? 'F' : 'M';
      const surname = parentGender === 'M' && headGender === 'M' ? headSurname : pickSurname(rng);
      members.push({ gender: parentGender, age: clampAge(headAge + rng.int(22, 30)), surname });
      continue;
    }
    const childAge = headAge - rng.int(22, 34);
    const age = childAge >= 1 ? childAge : rng.int(1, Math.max(1, headAge - 20));
    members.push({ gender, age, surname: rng.chance(0.92) ? familySurname : pickSurname(rng) });
  }
  return members;
}

/** A birth date giving exactly `age` whole years on DEMO_REFERENCE_DATE. */
function birthDateFor(rng: Rng, age: number): string {
  const [refYear, refMonth, refDay] = DEMO_REFERENCE_DATE.split('-').map(Number);
  if (refYear === undefined || refMonth === undefined || refDay === undefined) throw new Error('bad reference date');
  const month = rng.int(1, 12);
  const day = rng.int(1, daysInMonth(refYear - age, month));
  const notYet = month > refMonth || (month === refMonth && day > refDay);
  const year = refYear - age - (notYet ? 1 : 0);
  // Feb 29 only exists in leap years; shifting the year may invalidate it.
  const safeDay = Math.min(day, daysInMonth(year, month));
  return `${year}-${String(month).padStart(2, '0')}-${String(safeDay).padStart(2, '0')}`;
}
