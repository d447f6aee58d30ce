import { api, unwrap } from '../../api/client.ts';
import type { Body } from '../../api/types.ts';
import type { Board, Department, NodeRow } from './console.ts';

/** A dispatch target as POST /api/matters/{id}/dispatch takes it. */
export type Target = Body<'/api/matters/{id}/dispatch', 'post'>['lead'];
/** A dispatch target with a label for the pickers. */
export interface TargetOption { value: string; kind: Target['kind']; id: number; label: string }
export interface TargetGroup { kind: TargetOption['kind']; options: TargetOption[] }

export const targetValue = (kind: string, id: number) => `${kind}:${id}`;
export function parseTarget(v: string): Target {
  const [kind = '', id = ''] = v.split(':');
  return { kind: kind as Target['kind'], id: Number(id) };
}

/**
 * Who may lead or assist a matter: the grids, communities and town under the owning centre, its boards
 * and their posts, and the departments and joint-duty posts serving the matter's area and its owner.
 */
export async function loadTargets(ownerNodeId: number, areaNodeId: number): Promise<TargetGroup[]> {
  const [owner, nodes, boards, depA, depO] = await Promise.all([
    unwrap(api.GET('/api/nodes/{id}', { params: { path: { id: ownerNodeId } } })),
    unwrap(api.GET('/api/nodes', { params: { query: { under: ownerNodeId, status: 'active', limit: 500 } } })).catch(() => ({ items: [] as NodeRow[] })),
    unwrap(api.GET('/api/boards', { params: { query: { nodeId: ownerNodeId } } })).catch(() => ({ items: [] as Board[] })),
    unwrap(api.GET('/api/departments', { params: { query: { nodeId: areaNodeId } } })).catch(() => ({ items: [] as Department[] })),
    unwrap(api.GET('/api/departments', { params: { query: { nodeId: ownerNodeId } } })).catch(() => ({ items: [] as Department[] })),
  ]);
  const seenNodes = new Set<number>();
  const nodeOptions: TargetOption[] = [];
  for (const n of [owner, ...nodes.items]) {
    if (seenNodes.has(n.id) || n.level === 'district' && n.id !== owner.id) continue;
    seenNodes.add(n.id);
    nodeOptions.push({ value: targetValue('node', n.id), kind: 'node', id: n.id, label: n.name });
  }
  const boardOptions = boards.items.map((b) => ({ value: targetValue('board', b.id), kind: 'board' as const, id: b.id, label: b.name }));
  const postOptions = boards.items.flatMap((b) => b.posts.map((p) => ({ value: targetValue('post', p.id), kind: 'post' as const, id: p.id, label: `${b.name} · ${p.name}` })));
  const depts = new Map<number, Department>();
  for (const d of [...depA.items, ...depO.items]) if (d.status !== 'retired') depts.set(d.id, d);
  const deptOptions = [...depts.values()].map((d) => ({ value: targetValue('department', d.id), kind: 'department' as const, id: d.id, label: d.name }));
  return [
    { kind: 'post', options: postOptions },
    { kind: 'department', options: deptOptions },
    { kind: 'board', options: boardOptions },
    { kind: 'node', options: nodeOptions },
  ];
}
