import type { Kysely } from 'kysely';
import { cursorId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { assertMayEditResidents, assertMayReveal, mayReadResident, residentReadScope } from './people.policy.ts';
import * as structure from '../structure/structure.repository.ts';
import * as repo from './people.repository.ts';
import type { createResidentBody, residentQuery, revealBody, updateResidentBody } from './people.schema.ts';
import type { z } from 'zod';

export type ResidentInput = z.infer<typeof createResidentBody>;

/** A resident's household must be one of their grid's. */
async function assertHouseholdIn(db: Kysely<DB>, householdId: number, gridId: number): Promise<void> {
  const household = await structure.getHousehold(db, householdId);
  if (!household || household.grid_id !== gridId) throw notFound(`Household ${householdId} in grid ${gridId}`);
}

/** Residents (居民) and their personal information: masked by default, revealed only with a reason, always audited. */
export class PeopleService {
  constructor(private readonly deps: AppDeps) {}

  async listResidents(ctx: RequestContext, q: z.infer<typeof residentQuery>) {
    const scope = residentReadScope(ctx.actor);
    const { db, vault } = this.deps;
    const under = q.under ? (await structure.getNode(db, q.under))?.path : undefined;
    if (q.under && !under) throw notFound(`Node ${q.under}`);
    const afterId = cursorId(q.cursor);
    const rows = await repo.listResidents(db, {
      scope, under, gridId: q.gridId, householdId: q.householdId, name: q.name, afterId, limit: q.limit,
      phoneHash: q.phone ? vault.hash('phone', q.phone) : undefined,
      idNumberHash: q.idNumber ? vault.hash('id_number', q.idNumber) : undefined,
    });
    if (q.phone || q.idNumber) {
      // Searching by a full number is a use of personal information in itself.
      await appendAudit(db, ctx, { action: 'pii.search', subjectType: 'resident', details: { by: q.phone ? 'phone' : 'id_number', found: rows.length } });
    }
    return page(rows, q.limit, (r) => [r.id]);
  }

  async getResident(ctx: RequestContext, id: number) {
    const row = await repo.getResident(this.deps.db, id);
    if (!row || !mayReadResident(ctx.actor, { gridPath: row.grid_path, buildingId: row.building_id, unitId: row.unit_id })) {
      // The same answer for "absent" and "not yours", so ids reveal nothing.
      throw notFound({ en: `Resident ${id}`, zh: `居民 ${id}` });
    }
    return row;
  }

  /** Registers a resident and returns them as the registering staff now see them. */
  async createResident(ctx: RequestContext, input: ResidentInput) {
    const id = await this.deps.db.transaction().execute((trx) => this.createResidentIn(trx, ctx, input));
    return this.getResident(ctx, id);
  }

  async createResidentIn(trx: Kysely<DB>, ctx: RequestContext, input: ResidentInput): Promise<number> {
    const { vault } = this.deps;
    const grid = await structure.getNode(trx, input.gridId);
    if (!grid || (grid.level !== 'grid' && grid.level !== 'microgrid')) throw notFound(`Grid ${input.gridId}`);
    assertMayEditResidents(ctx.actor, grid.path);
    if (grid.status === 'retired') throw new AppError('RETIRED');
    if (input.householdId !== null) await assertHouseholdIn(trx, input.householdId, grid.id);
    const phone = input.phone ? vault.seal('phone', input.phone) : null;
    const idNumber = input.idNumber ? vault.seal('id_number', input.idNumber) : null;
    if (idNumber && (await repo.findResidentByIdHash(trx, idNumber.hash))) throw new AppError('CONFLICT', { en: 'A resident with this ID number is already registered.', zh: '这个身份证号的居民已经登记过了。' });
    const { id } = await repo.insertResident(trx, {
      grid_id: grid.id, household_id: input.householdId, name: input.name, gender: input.gender, birth_date: input.birthDate,
      phone_hash: phone?.hash ?? null, phone_enc: phone?.enc ?? null, phone_masked: phone?.masked ?? null,
      id_number_hash: idNumber?.hash ?? null, id_number_enc: idNumber?.enc ?? null, id_number_masked: idNumber?.masked ?? null,
    });
    await appendAudit(trx, ctx, { action: 'resident.create', subjectType: 'resident', subjectId: id, details: { gridId: grid.id } });
    return id;
  }

  async updateResident(ctx: RequestContext, id: number, patch: z.infer<typeof updateResidentBody>) {
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.getResident(trx, id);
      if (!row) throw notFound({ en: `Resident ${id}`, zh: `居民 ${id}` });
      assertMayEditResidents(ctx.actor, row.grid_path);
      if (patch.householdId != null) await assertHouseholdIn(trx, patch.householdId, row.grid_id);
      const phone = patch.phone ? this.deps.vault.seal('phone', patch.phone) : null;
      await repo.updateResident(trx, id, {
        name: patch.name, status: patch.status, household_id: patch.householdId,
        ...(patch.phone === undefined ? {} : { phone_hash: phone?.hash ?? null, phone_enc: phone?.enc ?? null, phone_masked: phone?.masked ?? null }),
      });
      await appendAudit(trx, ctx, { action: 'resident.update', subjectType: 'resident', subjectId: id, details: { fields: Object.keys(patch) } });
    });
    return this.getResident(ctx, id);
  }

  /** Shows full numbers to a role that needs them, and writes who saw what, when and why. */
  async reveal(ctx: RequestContext, id: number, body: z.infer<typeof revealBody>) {
    const row = await this.getResident(ctx, id);
    for (const field of body.fields) assertMayReveal(ctx.actor, field, row.grid_path);
    const sealed = await repo.getSealed(this.deps.db, id);
    if (!sealed) throw notFound({ en: `Resident ${id}`, zh: `居民 ${id}` });
    // Only the fields asked for (and checked above) are decrypted.
    const open = (field: 'phone' | 'id_number', enc: string | null) => (body.fields.includes(field) && enc ? this.deps.vault.open(enc) : null);
    // The audit row commits before the numbers leave: no record, no reveal.
    await appendAudit(this.deps.db, ctx, { action: 'pii.reveal', subjectType: 'resident', subjectId: id, details: { fields: body.fields, reason: body.reason } });
    return { id, fields: body.fields, phone: open('phone', sealed.phone_enc), idNumber: open('id_number', sealed.id_number_enc) };
  }
}
