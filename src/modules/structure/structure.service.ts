import type { Kysely } from 'kysely';
import { childLevel, codeProblem, recode } from '../../core/codes.ts';
import { cursorText, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import { GRID_KINDS, type NodeLevel } from '../../core/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { GridLocatorCache } from './locator.cache.ts';
import { assertMayEditTree } from './structure.policy.ts';
import * as repo from './structure.repository.ts';
import type { createNodeBody, nodeListQuery, updateNodeBody } from './structure.schema.ts';
import type { z } from 'zod';

const KINDS: Record<NodeLevel, readonly string[]> = {
  district: ['district', 'county'],
  town: ['town', 'street'],
  community: ['community', 'village'],
  grid: GRID_KINDS,
  microgrid: GRID_KINDS,
};
const DEFAULT_KIND: Record<NodeLevel, string> = { district: 'district', town: 'street', community: 'community', grid: 'residential', microgrid: 'residential' };
/** How many leading code digits a level owns; descendants share that prefix. */
export const CODE_PREFIX: Record<NodeLevel, number> = { district: 6, town: 9, community: 12, grid: 15, microgrid: 18 };

export type NodeInput = z.infer<typeof createNodeBody>;
export type NodePatch = z.infer<typeof updateNodeBody>;

export class StructureService {
  constructor(private readonly deps: AppDeps, readonly locator: GridLocatorCache) {}

  async listNodes(query: z.infer<typeof nodeListQuery>) {
    const { db } = this.deps;
    let under: string | undefined;
    if (query.under) under = (await this.requireNode(query.under)).path;
    const afterCode = cursorText(query.cursor);
    const rows = await repo.listNodes(db, { ...query, under, search: query.q, afterCode, parentId: query.root === 'true' ? undefined : query.parentId, level: query.root === 'true' ? 'district' : query.level });
    const result = page(rows, query.limit, (r) => [r.code]);
    const figures = query.withFigures === 'true' && query.parentId ? await repo.childFigures(db, query.parentId) : null;
    return { ...result, figures };
  }

  /** The boundaries of one level's nodes under a node (structure.presenter.ts makes the GeoJSON). */
  async boundaries(level: 'town' | 'community' | 'grid', under: number | undefined) {
    const underPath = under ? (await this.requireNode(under)).path : null;
    return repo.listBoundaries(this.deps.db, level, underPath);
  }

  async getNodeDetail(id: number) {
    const { db } = this.deps;
    const node = await repo.getNodeWithBoundary(db, id);
    if (!node) throw notFound({ en: 'The node', zh: '这个节点' });
    const ancestorIds = node.path.split('/').filter(Boolean).map(Number).filter((a) => a !== id);
    const ancestors = ancestorIds.length ? await repo.listAncestors(db, ancestorIds) : [];
    const figures = await repo.subtreeFigures(db, node.path);
    return { node, ancestors, figures };
  }

  async createNode(ctx: RequestContext, input: NodeInput) {
    return this.deps.db.transaction().execute((trx) => this.createNodeIn(trx, ctx, input));
  }

  /** Creates a node inside a caller's transaction (used by imports, which must be all-or-nothing). */
  async createNodeIn(trx: Kysely<DB>, ctx: RequestContext, input: NodeInput): Promise<{ id: number; path: string }> {
    const parent = input.parentId === null ? null : await repo.getNode(trx, input.parentId);
    if (input.parentId !== null && !parent) throw notFound(`Parent node ${input.parentId}`);
    if (parent) {
      assertMayEditTree(ctx.actor, parent.path);
      if (parent.status === 'retired') throw new AppError('RETIRED', { en: 'A retired node cannot receive new children.', zh: '已撤销的节点下面不能再加下级。' });
      if (childLevel[parent.level] !== input.level) {
        throw new AppError('INVALID_HIERARCHY', `A ${input.level} cannot sit under a ${parent.level}; a ${parent.level} holds ${childLevel[parent.level] ?? 'nothing'}.`);
      }
    } else {
      // Only an administrator of an existing district may add a new top-level district.
      assertMayEditTree(ctx.actor, '/');
      if (input.level !== 'district') throw new AppError('INVALID_HIERARCHY', { en: 'Only a district may be at the top of the tree.', zh: '只有区县能放在最上一级。' });
    }
    const problem = codeProblem(input.level, input.code, parent?.code ?? null);
    if (problem) throw new AppError('INVALID_CODE', `Code ${input.code}: ${problem}.`);
    const kind = checkKind(input.level, input.kind ?? null);
    if (await repo.getNodeByCode(trx, input.code)) throw new AppError('CONFLICT', { en: `Code ${input.code} is already used by another node.`, zh: `编码 ${input.code} 已经被别的节点用了。` });
    const created = await repo.insertNode(trx, {
      parent_id: parent?.id ?? null,
      level: input.level,
      code: input.code,
      name: input.name,
      kind,
      estate_type: isGridLevel(input.level) ? (input.estateType ?? null) : null,
      estate_name: isGridLevel(input.level) ? (input.estateName ?? null) : null,
      boundary: input.boundary ? JSON.stringify(input.boundary) : null,
    }, parent?.path ?? null);
    if (input.boundary && isGridLevel(input.level)) await repo.bumpBoundaryVersion(trx);
    await appendAudit(trx, ctx, { action: 'node.create', subjectType: 'node', subjectId: created.id, details: { code: input.code, name: input.name, level: input.level } });
    return created;
  }

  async updateNode(ctx: RequestContext, id: number, patch: NodePatch) {
    await this.deps.db.transaction().execute((trx) => this.updateNodeIn(trx, ctx, id, patch));
  }

  /** Edits a node inside a caller's transaction (imports reuse it); `via` is noted in the audit record. */
  async updateNodeIn(trx: Kysely<DB>, ctx: RequestContext, id: number, patch: NodePatch, via?: string): Promise<void> {
    const node = await this.requireNode(id, trx);
    assertMayEditTree(ctx.actor, node.path);
    if (node.status === 'retired') throw new AppError('RETIRED');
    const kind = patch.kind !== undefined ? checkKind(node.level, patch.kind) : undefined;
    await repo.updateNode(trx, id, {
      name: patch.name,
      kind,
      estate_type: isGridLevel(node.level) ? patch.estateType : undefined,
      estate_name: isGridLevel(node.level) ? patch.estateName : undefined,
      boundary: patch.boundary === undefined ? undefined : patch.boundary === null ? null : JSON.stringify(patch.boundary),
    });
    if (patch.boundary !== undefined && isGridLevel(node.level)) await repo.bumpBoundaryVersion(trx);
    await appendAudit(trx, ctx, { action: 'node.update', subjectType: 'node', subjectId: id, details: { fields: Object.keys(patch), ...(via ? { via } : {}) } });
  }

  /** Moves a node under a new parent of the same level; its code and all descendants' codes follow. */
  async moveNode(ctx: RequestContext, id: number, parentId: number) {
    await this.deps.db.transaction().execute(async (trx) => {
      const node = await this.requireNode(id, trx);
      const parent = await this.requireNode(parentId, trx);
      const oldParent = node.parent_id ? await this.requireNode(node.parent_id, trx) : null;
      assertMayEditTree(ctx.actor, oldParent?.path ?? node.path);
      assertMayEditTree(ctx.actor, parent.path);
      if (node.status === 'retired' || parent.status === 'retired') throw new AppError('RETIRED', { en: 'Retired nodes cannot be moved or receive children.', zh: '已撤销的节点不能移动，也不能加下级。' });
      if (childLevel[parent.level] !== node.level) throw new AppError('INVALID_HIERARCHY', `A ${node.level} cannot move under a ${parent.level}.`);
      if (parent.path.startsWith(node.path)) throw new AppError('INVALID_HIERARCHY', { en: 'A node cannot move under itself.', zh: '节点不能移到它自己下面。' });
      if (parent.id === node.parent_id) return;
      const newCode = recode(node.level, node.code, parent.code);
      const clash = await repo.getNodeByCode(trx, newCode);
      if (clash) throw new AppError('CONFLICT', { en: `Moving would give code ${newCode}, already used by ${clash.name}; renumber one of them first.`, zh: `移过去后编码会变成 ${newCode}，和“${clash.name}”重了，请先给其中一个改编码。` });
      await repo.moveSubtree(trx, node, parent.id, `${parent.path}${node.id}/`, newCode, CODE_PREFIX[node.level]);
      await appendAudit(trx, ctx, { action: 'node.move', subjectType: 'node', subjectId: id, details: { from: node.parent_id, to: parent.id, oldCode: node.code, newCode } });
    });
  }

  async retireNode(ctx: RequestContext, id: number, cascade: boolean) {
    await this.deps.db.transaction().execute(async (trx) => {
      const node = await this.requireNode(id, trx);
      assertMayEditTree(ctx.actor, node.path);
      if (node.status === 'retired') return;
      const children = await repo.countActiveChildren(trx, id);
      if (children > 0 && !cascade) {
        throw new AppError('CONFLICT', { en: `The node has ${children} active children; move or retire them first, or retire with cascade.`, zh: `这个节点下面还有 ${children} 个在用的下级，请先移走或撤销它们，或者连同下级一起撤销。` }, { activeChildren: children });
      }
      await repo.retireSubtree(trx, node.path);
      await repo.bumpBoundaryVersion(trx);
      await appendAudit(trx, ctx, { action: 'node.retire', subjectType: 'node', subjectId: id, details: { cascade } });
    });
  }

  /** Deleting is only for mistakes nothing refers to yet; anything in use must be retired. */
  async deleteNode(ctx: RequestContext, id: number) {
    await this.deps.db.transaction().execute(async (trx) => {
      const node = await this.requireNode(id, trx);
      assertMayEditTree(ctx.actor, node.path);
      const refs = await repo.countReferences(trx, id);
      if (Object.keys(refs).length > 0) throw new AppError('NODE_IN_USE', undefined, { references: refs });
      await repo.deleteNode(trx, id);
      await repo.bumpBoundaryVersion(trx);
      await appendAudit(trx, ctx, { action: 'node.delete', subjectType: 'node', subjectId: id, details: { code: node.code, name: node.name } });
    });
  }

  async locate(lng: number, lat: number, crs: 'wgs84' | 'gcj02', db: Kysely<DB> = this.deps.db) {
    const { locator, refs } = await this.locator.get(db);
    const { gridId, microgridId } = locator.locate(lng, lat, crs);
    const grid = gridId ? refs.get(gridId) : undefined;
    const community = grid?.parentId ? refs.get(grid.parentId) : undefined;
    const ref = (n: { id: number; code: string; name: string } | undefined) => (n ? { id: n.id, code: n.code, name: n.name } : null);
    return { grid: ref(grid), microgrid: ref(microgridId ? refs.get(microgridId) : undefined), community: ref(community) };
  }

  async requireNode(id: number, db: Kysely<DB> = this.deps.db) {
    const node = await repo.getNode(db, id);
    if (!node) throw notFound({ en: `Node ${id}`, zh: `节点 ${id}` });
    return node;
  }

  async requireGrid(id: number, db: Kysely<DB> = this.deps.db) {
    const node = await this.requireNode(id, db);
    if (!isGridLevel(node.level)) throw new AppError('INVALID_HIERARCHY', `Node ${id} is a ${node.level}, not a grid.`);
    return node;
  }
}

export const isGridLevel = (level: NodeLevel) => level === 'grid' || level === 'microgrid';

function checkKind(level: NodeLevel, kind: string | null): string {
  if (kind === null) return DEFAULT_KIND[level];
  if (!KINDS[level].includes(kind)) throw new AppError('VALIDATION_FAILED', `A ${level} may be of kind ${KINDS[level].join(', ')}; got "${kind}".`);
  return kind;
}

