import type { Catalogue, CategoryGroup, CategorySeed } from './types.ts';
import { CITY_GROUPS } from './city-seed.ts';
import { SOCIAL_GROUPS } from './social-seed.ts';

/**
 * The seed dictionary of matter types (事件类别). Two catalogues:
 * - 'city' (城市管理): 5-digit codes, a 2-digit major class and a 3-digit subclass in the style of
 *   GB/T 30428.2 / CJ/T 214. Components (部件) take majors 01–05 and events (事件) 06–10, the numbering
 *   several cities use; 06010 暴露垃圾 and 09009 机动车乱停放 are fixed by the product brief, other
 *   subclass numbers are ours where the standard's number was not certain.
 * - 'social' (社会治理): 'S' + 2-digit major + 3-digit subclass, our own scheme.
 * The data is a seed: admins edit the dictionary in the product, so everything here is a default.
 */

export type { Catalogue, CategoryGroup, CategorySeed, GroupDefaults, GroupItem } from './types.ts';

export function expandGroups(groups: readonly CategoryGroup[]): CategorySeed[] {
  return groups.flatMap((g) => g.items.map((item) => ({ ...g.defaults, urgent: false, ...item })));
}

export const CATEGORY_SEED: readonly CategorySeed[] = expandGroups([...CITY_GROUPS, ...SOCIAL_GROUPS]);

const CODE_PATTERN: Record<Catalogue, RegExp> = { city: /^\d{5}$/, social: /^S\d{5}$/ };

/** Human-readable problems with a dictionary (bad codes, duplicates, keyword counts); empty when sound. */
export function categoryProblems(categories: readonly CategorySeed[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of categories) {
    if (!CODE_PATTERN[c.catalogue].test(c.code)) problems.push(`${c.code}: malformed code for catalogue ${c.catalogue}`);
    if (seen.has(c.code)) problems.push(`${c.code}: duplicate code`);
    seen.add(c.code);
    if (c.keywords.length < 4 || c.keywords.length > 12) problems.push(`${c.code}: needs 4–12 keywords, has ${c.keywords.length}`);
    if (new Set(c.keywords).size !== c.keywords.length) problems.push(`${c.code}: repeated keyword`);
    // One-character keywords would match almost any sentence.
    for (const k of c.keywords) if ([...k].length < 2) problems.push(`${c.code}: keyword '${k}' is too short`);
    if (!(c.deadline.amount > 0)) problems.push(`${c.code}: deadline must be positive`);
    if (c.deadline.unit === 'working_days' && !Number.isInteger(c.deadline.amount)) problems.push(`${c.code}: working days must be whole`);
    if (c.leadBoard === null && c.leadJointDuty === null) problems.push(`${c.code}: needs a lead board or joint-duty post`);
  }
  return problems;
}

export function categoryByCode(categories: readonly CategorySeed[], code: string): CategorySeed | undefined {
  return categories.find((c) => c.code === code);
}
