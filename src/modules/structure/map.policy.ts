import { assertSignedIn, type Actor } from '../../core/scope.ts';

/**
 * Who sees which buildings on a map or in a list of places. Grid outlines, community outlines, roads and landmarks
 * are public (like the tree); a building's name, address and point are for signed-in people of that part of the
 * tree: staff, departments and posts within the node of each of their roles, and a resident within their own
 * community (people know the buildings of their neighbourhood; the grid alone would leave the next street out).
 * Households and people inside a building stay with the grid staff (structure.policy.ts).
 */
export function placePrefixes(actor: Actor | null): string[] {
  assertSignedIn(actor, 'Sign in to see the buildings around you.');
  const paths = actor.assignments.map((a) => (a.role === 'resident' ? communityPrefix(a.nodePath) : a.nodePath));
  const sorted = [...new Set(paths)].sort();
  return sorted.filter((p, i) => !sorted.slice(0, i).some((q) => p.startsWith(q)));
}

/** "/district/town/community/grid/…" → "/district/town/community/"; a shallower path stays as it is. */
function communityPrefix(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.length > 3 ? `/${parts.slice(0, 3).join('/')}/` : path;
}
