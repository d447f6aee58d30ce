import { createHash, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { type PiiKind, PiiVault } from '../../core/pii.ts';
import { systemContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import * as repo from './keys.repository.ts';

const PAGE = 500;

/**
 * The fingerprint of a PII key: 64 bits of a hash of a key derived for nothing else, so it names the key in a
 * backup's manifest, a log or the audit without giving away anything that seals or matches a number.
 */
export function keyFingerprint(key: Buffer): string {
  const derived = Buffer.from(hkdfSync('sha256', key, 'dualgrid', 'pii-fingerprint', 32));
  const hex = createHash('sha256').update(derived).digest('hex').slice(0, 16);
  return hex.match(/.{4}/g)?.join('-') ?? hex;
}

/** Reads a key file in the format of data/pii.key and DUALGRID_PII_KEY: 32 bytes, base64 (openssl rand -base64 32). */
export function readKeyFile(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new Error(`Cannot read the key file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || key.toString('base64') !== text.replace(/\s/g, '')) {
    throw new Error(`${file} does not hold a key: expected 32 bytes in base64 (make one with: openssl rand -base64 32 > ${file})`);
  }
  return key;
}

/**
 * Whether the key opens what the database holds: true when it opens every sampled ciphertext, false when it opens
 * none, null when there is nothing sealed to try. (Mixed answers mean the data is sealed under two keys: false.)
 */
export async function keyOpensData(db: Kysely<DB>, key: Buffer): Promise<boolean | null> {
  const samples = await repo.sampleCiphertexts(db);
  if (samples.length === 0) return null;
  const vault = new PiiVault(key);
  return samples.every((enc) => opens(vault, enc));
}

/**
 * Refuses a key that opens none of the stored numbers (the old one after a rotation, another copy's, a restore
 * forced past its fingerprint check): an app started with it would seal new numbers under a second key.
 */
export async function assertKeyOpensData(db: Kysely<DB>, key: Buffer): Promise<void> {
  if ((await keyOpensData(db, key)) === false) {
    throw new Error(`The configured PII key (fingerprint ${keyFingerprint(key)}; DUALGRID_PII_KEY or pii.key) does not open the personal data in this database. Start with the key it was sealed with (docs/operations.md, "Personal information duties").`);
  }
}

function opens(vault: PiiVault, enc: string): boolean {
  try {
    vault.open(enc);
    return true;
  } catch {
    return false;
  }
}

export interface RotationReport {
  from: string;
  to: string;
  users: number;
  residents: number;
  matters: number;
  numbers: number;
  phoneCodesDeleted: number;
}

/**
 * Seals every number again under the new key, in one transaction: each ciphertext is opened with the old key and
 * sealed with the new one, and each keyed hash is recomputed from the opened value (lookups match on it). Sign-in
 * codes, hashed under the old key and alive for minutes, are deleted. Audited. A number the old key cannot open
 * aborts the whole rotation, so nothing is ever left sealed under two keys.
 */
export async function rotatePiiKey(db: Kysely<DB>, oldKey: Buffer, newKey: Buffer): Promise<RotationReport> {
  if (oldKey.equals(newKey)) throw new Error('The new key is the key already configured; make a new one with: openssl rand -base64 32');
  const from = keyFingerprint(oldKey);
  const to = keyFingerprint(newKey);
  const reseal = resealer(new PiiVault(oldKey), new PiiVault(newKey));
  return db.transaction().execute(async (trx) => {
    await repo.lockSealedTables(trx);
    const report: RotationReport = { from, to, users: 0, residents: 0, matters: 0, numbers: 0, phoneCodesDeleted: 0 };
    report.users = await eachPage((after) => repo.usersPage(trx, after, PAGE),
      (page) => repo.updateUserSeals(trx, page.map((r) => ({ id: r.id, phone: reseal('users', r.id, 'phone', r.phone) }))));
    report.residents = await eachPage((after) => repo.residentsPage(trx, after, PAGE),
      (page) => repo.updateResidentSeals(trx, page.map((r) => ({ id: r.id, phone: reseal('residents', r.id, 'phone', r.phone), idNumber: reseal('residents', r.id, 'id_number', r.idNumber) }))));
    report.matters = await eachPage((after) => repo.mattersPage(trx, after, PAGE),
      (page) => repo.updateMatterSeals(trx, page.map((r) => ({ id: r.id, contactPhone: reseal('matters', r.id, 'phone', r.contactPhone) }))));
    report.numbers = reseal.count();
    report.phoneCodesDeleted = await repo.deleteAllPhoneCodes(trx);
    await appendAudit(trx, systemContext('cli'), { action: 'pii.rotate_key', subjectType: 'pii_key', subjectId: to, details: { ...report } });
    return report;
  });
}

/** Reads a table in id order a page at a time (keyset), hands each page to `write`; the number of rows read. */
async function eachPage<T extends { id: number }>(read: (afterId: number) => Promise<T[]>, write: (page: T[]) => Promise<void>): Promise<number> {
  let rows = 0;
  for (let after = 0; ; ) {
    const page = await read(after);
    if (page.length === 0) return rows;
    await write(page);
    rows += page.length;
    after = page[page.length - 1]?.id ?? after;
  }
}

/** Opens with the old vault and seals with the new one; counts what it sealed; refuses what cannot be carried over. */
function resealer(oldVault: PiiVault, newVault: PiiVault) {
  let sealed = 0;
  const reseal = (table: string, id: number, kind: PiiKind, stored: repo.StoredSeal): repo.NewSeal | null => {
    if (stored.enc === null) {
      if (stored.hash === null) return null;
      // A hash alone cannot be recomputed without the number; every writer seals all three, so this is damage.
      throw new Error(`${table} ${id}: the ${kind} hash has no ciphertext to recompute it from; nothing was changed.`);
    }
    let value: string;
    try {
      value = oldVault.open(stored.enc);
    } catch {
      throw new Error(`${table} ${id}: the configured key does not open the ${kind}; is it the key the data was sealed with? Nothing was changed.`);
    }
    sealed++;
    return newVault.seal(kind, value);
  };
  return Object.assign(reseal, { count: () => sealed });
}
