import type { Kysely } from 'kysely';
import { notFound } from '../../core/errors.ts';
import type { Actor } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import { getNode } from '../structure/structure.repository.ts';
import { getNodeByPath } from './lookups.repository.ts';
import { assertWithinScope, messageScope } from './online.policy.ts';

/** The node an online-grid figures page is about: the one asked for, or the top of the actor's scope; never outside it. */
export async function figuresNode(db: Kysely<DB>, actor: Actor | null, underId: number | undefined) {
  const prefixes = messageScope(actor);
  const under = underId ? await getNode(db, underId) : await getNodeByPath(db, prefixes[0] ?? '');
  if (!under) throw notFound(`Node ${underId}`);
  assertWithinScope(prefixes, under.path);
  return under;
}
