import { pinyin } from 'pinyin-pro';
import { api, unwrap } from '../../api/client.ts';
import type { Body } from '../../api/types.ts';
import { type Board, type Category, type Department, listAll, type NodeRow } from './console.ts';

/** A dispatch target as POST /api/matters/{id}/dispatch takes it. */
export type Target = Body<'/api/matters/{id}/dispatch', 'post'>['lead'];
/** A dispatch target with a label for the pickers. */
export interface TargetOption {
  value: string; kind: Target['kind']; id: number; label: string;
  /** What a search matches besides the label: pinyin initials and full pinyin, lower case, no spaces (花园1网格 → hy1wg, huayuan1wangge). */
  keys: string;
  /** The matter's own grid or community, shown first in its group. */
  near?: boolean;
  /** For departments: the joint-duty type, for the category's suggested joint-duty lead. */
  jointDutyType?: string | null;
  /** For posts: the board it belongs to. */
  boardId?: number;
  /** For nodes: the level in the tree. */
  level?: string;
}
/** Options of one kind; `near` marks the group of the matter's own grid and community, listed first. */
export interface TargetGroup { kind: TargetOption['kind']; options: TargetOption[]; near?: boolean }

export const targetValue = (kind: string, id: number) => `${kind}:${id}`;
export function parseTarget(v: string): Target {
  const [kind = '', id = ''] = v.split(':');
  return { kind: kind as Target['kind'], id: Number(id) };
}

/** Pinyin initials and full pinyin of a name, for searching 派出所 by "pcs" or "paichusuo". */
export function pinyinKeys(label: string): string {
  const squash = (parts: string[]) => parts.join('').replace(/[\s·（）()\-_/]/g, '').toLowerCase();
  return `${squash(pinyin(label, { pattern: 'first', toneType: 'none', type: 'array' }))} ${squash(pinyin(label, { toneType: 'none', type: 'array' }))}`;
}

/** Whether a typed query picks an option: by its characters, or by the pinyin initials or full pinyin of its name. */
export function matchesTarget(query: string, o: Pick<TargetOption, 'label' | 'keys'>): boolean {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  if (!q) return true;
  return o.label.toLowerCase().replace(/\s+/g, '').includes(q) || o.keys.split(' ').some((k) => k.includes(q));
}

const option = (kind: Target['kind'], id: number, label: string, extra: Partial<TargetOption> = {}): TargetOption =>
  ({ value: targetValue(kind, id), kind, id, label, keys: pinyinKeys(label), ...extra });

/** The matter's own place and the nodes above it up to its community: its grid (or micro-grid) and community. */
function nearIds(nodes: NodeRow[], areaNodeId: number): Set<number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Set<number>();
  let n = byId.get(areaNodeId);
  while (n && n.level !== 'town' && n.level !== 'district') {
    out.add(n.id);
    n = n.parentId ? byId.get(n.parentId) : undefined;
  }
  return out;
}

/**
 * The lead a dispatch starts from, as far as it is known: the category's lead post on the matter's lead board
 * (or any board), else the department of the category's joint-duty lead, else the lead board the triage chose;
 * a grid or community matter with none of these goes to its own grid or community (家事、共事 stay close).
 */
export function suggestedLead(groups: TargetGroup[], known: { leadBoardId: number | null; level?: string | null; category: Pick<Category, 'leadPost' | 'leadJointDuty'> | null }): string {
  const all = groups.flatMap((g) => g.options);
  const posts = all.filter((o) => o.kind === 'post');
  const postName = known.category?.leadPost;
  if (postName) {
    const named = posts.filter((o) => o.label.endsWith(` · ${postName}`));
    const hit = named.find((o) => o.boardId === known.leadBoardId) ?? named[0];
    if (hit) return hit.value;
  }
  const duty = known.category?.leadJointDuty;
  const dept = duty ? all.find((o) => o.kind === 'department' && o.jointDutyType === duty) : undefined;
  if (dept) return dept.value;
  const board = known.leadBoardId ? all.find((o) => o.kind === 'board' && o.id === known.leadBoardId) : undefined;
  if (board) return board.value;
  const near = all.filter((o) => o.kind === 'node' && o.near);
  const own = known.level === 'grid' ? near.find((o) => o.level === 'grid') : known.level === 'community' ? near.find((o) => o.level === 'community') : undefined;
  return own?.value ?? '';
}

/**
 * Who may lead or assist a matter: the grids, communities and town under the owning centre, its boards
 * and their posts, and the departments and joint-duty posts serving the matter's area and its owner.
 */
export async function loadTargets(ownerNodeId: number, areaNodeId: number): Promise<TargetGroup[]> {
  const [owner, nodes, boards, depA, depO] = await Promise.all([
    unwrap(api.GET('/api/nodes/{id}', { params: { path: { id: ownerNodeId } } })),
    // Every node under the owner, however many pages.
    listAll('/api/nodes', { under: ownerNodeId, status: 'active', limit: 500 }, Number.MAX_SAFE_INTEGER).then((items) => ({ items }), () => ({ items: [] as NodeRow[] })),
    unwrap(api.GET('/api/boards', { params: { query: { nodeId: ownerNodeId } } })).catch(() => ({ items: [] as Board[] })),
    unwrap(api.GET('/api/departments', { params: { query: { nodeId: areaNodeId } } })).catch(() => ({ items: [] as Department[] })),
    unwrap(api.GET('/api/departments', { params: { query: { nodeId: ownerNodeId } } })).catch(() => ({ items: [] as Department[] })),
  ]);
  const near = nearIds([owner, ...nodes.items], areaNodeId);
  const seenNodes = new Set<number>();
  const nodeOptions: TargetOption[] = [];
  for (const n of [owner, ...nodes.items]) {
    if (seenNodes.has(n.id) || n.level === 'district' && n.id !== owner.id) continue;
    seenNodes.add(n.id);
    nodeOptions.push(option('node', n.id, n.name, { near: near.has(n.id), level: n.level }));
  }
  // The matter's own grid and community on top (deepest first), the rest in tree order.
  const nearFirst = [...nodeOptions.filter((o) => o.near).reverse(), ...nodeOptions.filter((o) => !o.near)];
  const boardOptions = boards.items.map((b) => option('board', b.id, b.name));
  const postOptions = boards.items.flatMap((b) => b.posts.map((p) => option('post', p.id, `${b.name} · ${p.name}`, { boardId: b.id })));
  const depts = new Map<number, Department>();
  for (const d of [...depA.items, ...depO.items]) if (d.status !== 'retired') depts.set(d.id, d);
  const deptOptions = [...depts.values()].map((d) => option('department', d.id, d.name, { jointDutyType: d.jointDutyType }));
  const groups: TargetGroup[] = [
    { kind: 'node', options: nearFirst.filter((o) => o.near), near: true },
    { kind: 'post', options: postOptions },
    { kind: 'department', options: deptOptions },
    { kind: 'board', options: boardOptions },
    { kind: 'node', options: nearFirst.filter((o) => !o.near) },
  ];
  return groups.filter((g) => g.options.length > 0);
}
