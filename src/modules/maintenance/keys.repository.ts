import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

// Every column sealed with the PII key (core/pii.ts): a keyed hash to match, ciphertext to reveal, a masked form.
// users.phone, residents.phone and residents.id_number, matters.contact_phone. Key rotation pages through them
// by id and writes each page back in one statement.

/** One sealed number as stored: its hash and its ciphertext (either may be null). */
export interface StoredSeal {
  hash: string | null;
  enc: string | null;
}

/** A number sealed again: what goes back into the three columns. */
export interface NewSeal {
  hash: string;
  enc: string;
  masked: string;
}

export interface SealedUser { id: number; phone: StoredSeal }
export interface SealedResident { id: number; phone: StoredSeal; idNumber: StoredSeal }
export interface SealedMatter { id: number; contactPhone: StoredSeal }

/** Holds the sealed tables against writers until the rotation commits (other sessions wait, then see new seals). */
export async function lockSealedTables(trx: Kysely<DB>): Promise<void> {
  await sql`lock table users, residents, matters, phone_codes in exclusive mode`.execute(trx);
}

export async function usersPage(db: Kysely<DB>, afterId: number, limit: number): Promise<SealedUser[]> {
  const rows = await db.selectFrom('users').select(['id', 'phone_hash', 'phone_enc'])
    .where('id', '>', afterId).where((eb) => eb.or([eb('phone_hash', 'is not', null), eb('phone_enc', 'is not', null)]))
    .orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, phone: { hash: r.phone_hash, enc: r.phone_enc } }));
}

export async function residentsPage(db: Kysely<DB>, afterId: number, limit: number): Promise<SealedResident[]> {
  const rows = await db.selectFrom('residents').select(['id', 'phone_hash', 'phone_enc', 'id_number_hash', 'id_number_enc'])
    .where('id', '>', afterId)
    .where((eb) => eb.or([eb('phone_hash', 'is not', null), eb('phone_enc', 'is not', null), eb('id_number_hash', 'is not', null), eb('id_number_enc', 'is not', null)]))
    .orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, phone: { hash: r.phone_hash, enc: r.phone_enc }, idNumber: { hash: r.id_number_hash, enc: r.id_number_enc } }));
}

export async function mattersPage(db: Kysely<DB>, afterId: number, limit: number): Promise<SealedMatter[]> {
  const rows = await db.selectFrom('matters').select(['id', 'contact_phone_hash', 'contact_phone_enc'])
    .where('id', '>', afterId).where((eb) => eb.or([eb('contact_phone_hash', 'is not', null), eb('contact_phone_enc', 'is not', null)]))
    .orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, contactPhone: { hash: r.contact_phone_hash, enc: r.contact_phone_enc } }));
}

// One UPDATE … FROM unnest(arrays) a page: four to seven parameters whatever the page size.
const column = (seals: (NewSeal | null)[], part: keyof NewSeal) => seals.map((s) => (s ? s[part] : null));

export async function updateUserSeals(db: Kysely<DB>, rows: { id: number; phone: NewSeal | null }[]): Promise<void> {
  if (rows.length === 0) return;
  const phone = rows.map((r) => r.phone);
  await sql`
    update users as u set phone_hash = v.ph, phone_enc = v.pe, phone_masked = v.pm
    from unnest(${rows.map((r) => r.id)}::int[], ${column(phone, 'hash')}::text[], ${column(phone, 'enc')}::text[], ${column(phone, 'masked')}::text[]) as v(id, ph, pe, pm)
    where u.id = v.id`.execute(db);
}

export async function updateResidentSeals(db: Kysely<DB>, rows: { id: number; phone: NewSeal | null; idNumber: NewSeal | null }[]): Promise<void> {
  if (rows.length === 0) return;
  const phone = rows.map((r) => r.phone);
  const idNumber = rows.map((r) => r.idNumber);
  await sql`
    update residents as r set phone_hash = v.ph, phone_enc = v.pe, phone_masked = v.pm, id_number_hash = v.ih, id_number_enc = v.ie, id_number_masked = v.im
    from unnest(${rows.map((r) => r.id)}::int[], ${column(phone, 'hash')}::text[], ${column(phone, 'enc')}::text[], ${column(phone, 'masked')}::text[],
      ${column(idNumber, 'hash')}::text[], ${column(idNumber, 'enc')}::text[], ${column(idNumber, 'masked')}::text[]) as v(id, ph, pe, pm, ih, ie, im)
    where r.id = v.id`.execute(db);
}

export async function updateMatterSeals(db: Kysely<DB>, rows: { id: number; contactPhone: NewSeal | null }[]): Promise<void> {
  if (rows.length === 0) return;
  const phone = rows.map((r) => r.contactPhone);
  await sql`
    update matters as m set contact_phone_hash = v.ph, contact_phone_enc = v.pe, contact_phone_masked = v.pm
    from unnest(${rows.map((r) => r.id)}::int[], ${column(phone, 'hash')}::text[], ${column(phone, 'enc')}::text[], ${column(phone, 'masked')}::text[]) as v(id, ph, pe, pm)
    where m.id = v.id`.execute(db);
}

/** Sign-in codes are hashed under a key derived from the PII key and live minutes: rotation deletes them. */
export async function deleteAllPhoneCodes(db: Kysely<DB>): Promise<number> {
  const result = await db.deleteFrom('phone_codes').executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A few ciphertexts of each kind, to tell whether a key is the one the data was sealed with. */
export async function sampleCiphertexts(db: Kysely<DB>, perTable = 3): Promise<string[]> {
  const [users, residents, matters] = await Promise.all([
    db.selectFrom('users').select('phone_enc as enc').where('phone_enc', 'is not', null).orderBy('id').limit(perTable).execute(),
    db.selectFrom('residents').select('id_number_enc as enc').where('id_number_enc', 'is not', null).orderBy('id').limit(perTable).execute(),
    db.selectFrom('matters').select('contact_phone_enc as enc').where('contact_phone_enc', 'is not', null).orderBy('id').limit(perTable).execute(),
  ]);
  return [...users, ...residents, ...matters].flatMap((r) => (r.enc ? [r.enc] : []));
}
