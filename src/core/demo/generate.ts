// Entry point: a whole demo town from one seed, pure and deterministic so tests and README examples stay stable.
import { BOARD_SPECS, DEMO_DISTRICT, DEMO_TOWN, DEPARTMENT_SPECS } from './catalog.ts';
import { buildPeople } from './people.ts';
import { PhoneAllocator } from './phone.ts';
import { Rng, type SeedLike } from '../prng.ts';
import { buildResidents } from './residents.ts';
import type { DemoTown } from './spec.ts';
import { buildCommunities } from './structure.ts';

export { DEMO_GRIDS_PER_COMMUNITY } from './structure.ts';

export const DEMO_SEED = 20241;

export function generateDemoTown(seed: SeedLike = DEMO_SEED): DemoTown {
  const rng = new Rng(seed);
  // One phone allocator for everybody keeps numbers unique across staff and residents.
  const phones = new PhoneAllocator(rng.fork('phones'));
  const communities = buildCommunities(rng.fork('structure'));
  const registered = buildResidents(rng.fork('residents'), phones, communities);
  const people = buildPeople(rng.fork('people'), phones, communities, registered);
  return {
    district: { code: DEMO_DISTRICT.code, name: DEMO_DISTRICT.name },
    town: { code: DEMO_TOWN.code, name: DEMO_TOWN.name },
    communities,
    boards: BOARD_SPECS.map((b) => ({ kind: b.kind, name: b.name, posts: b.posts.map((p) => p.name) })),
    departments: DEPARTMENT_SPECS.map((d) => ({ ...d.department })),
    people,
    residents: registered.residents,
  };
}
