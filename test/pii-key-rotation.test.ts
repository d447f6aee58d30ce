import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PiiVault } from '../src/core/pii.ts';
import { assertKeyOpensData, keyFingerprint, rotatePiiKey } from '../src/modules/maintenance/keys.service.ts';
import { expectError, TEST_PII_KEY } from './helpers/app.ts';
import { useTestTown } from './helpers/town.ts';

// `dualgrid rotate-pii-key`: every sealed number re-sealed under a new key in one transaction; lookups by the keyed
// hashes, reveals and phone sign-in work under the new key, and the old key opens nothing any more.
describe('PII key rotation', () => {
  const t = useTestTown();
  const newKey = randomBytes(32);
  const phoneSignIn = async (app = t.app, phone = '13900002222') => {
    const ip = `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    const sent = await app.inject({ method: 'POST', url: '/api/auth/phone/code', payload: { phone }, remoteAddress: ip });
    expect(sent.statusCode, sent.body).toBe(200);
    const res = await app.inject({ method: 'POST', url: '/api/auth/phone/verify', payload: { phone, code: sent.json().demoCode }, remoteAddress: ip });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { newAccount: boolean; displayName: string };
  };
  const sealedColumns = async () => ({
    users: await t.deps.db.selectFrom('users').select(['id', 'phone_hash', 'phone_enc', 'phone_masked']).where('phone_enc', 'is not', null).orderBy('id').execute(),
    residents: await t.deps.db.selectFrom('residents').select(['id', 'phone_hash', 'phone_enc', 'phone_masked', 'id_number_hash', 'id_number_enc', 'id_number_masked']).orderBy('id').execute(),
    matters: await t.deps.db.selectFrom('matters').select(['id', 'contact_phone_hash', 'contact_phone_enc', 'contact_phone_masked']).where('contact_phone_enc', 'is not', null).orderBy('id').execute(),
  });
  let matterId = 0;

  it('has numbers sealed under the old key in users, residents and matters, and a pending sign-in code', async () => {
    expect(await phoneSignIn()).toMatchObject({ newAccount: true });
    const worker = await t.as('t_worker11');
    const reported = await worker.ok<{ id: number }>('POST', '/api/matters', {
      source: 'visit', channel: 'phone', description: '楼道灯坏了', location: { buildingId: t.town.building.id },
      reporter: { contactName: '赵先生', contactPhone: '13711112222' },
    });
    matterId = reported.id;
    const pending = await t.app.inject({ method: 'POST', url: '/api/auth/phone/code', payload: { phone: '13600003333' }, remoteAddress: '10.8.0.1' });
    expect(pending.statusCode).toBe(200);
    const sealed = await sealedColumns();
    expect(sealed.users).toHaveLength(1);
    expect(sealed.residents).toHaveLength(3);
    expect(sealed.matters.map((m) => m.id)).toEqual([matterId]);
    expect(await t.deps.db.selectFrom('phone_codes').select('id').execute()).toHaveLength(2);
  });

  it('refuses a key that does not open the data, or the same key, and changes nothing', async () => {
    const before = await sealedColumns();
    await expect(rotatePiiKey(t.deps.db, randomBytes(32), newKey)).rejects.toThrow(/does not open/);
    await expect(rotatePiiKey(t.deps.db, TEST_PII_KEY, TEST_PII_KEY)).rejects.toThrow(/already configured/);
    expect(await sealedColumns()).toEqual(before);
    expect(await t.deps.db.selectFrom('phone_codes').select('id').execute()).toHaveLength(2);
  });

  it('re-seals every number and re-hashes every lookup under the new key, in one audited step', async () => {
    const before = await sealedColumns();
    const report = await rotatePiiKey(t.deps.db, TEST_PII_KEY, newKey);
    expect(report).toEqual({ from: keyFingerprint(TEST_PII_KEY), to: keyFingerprint(newKey), users: 1, residents: 3, matters: 1, numbers: 8, phoneCodesDeleted: 2 });
    const after = await sealedColumns();
    const oldVault = new PiiVault(TEST_PII_KEY);
    const vault = new PiiVault(newKey);
    const pairs = [
      ...before.users.map((b, i) => [b.phone_enc, b.phone_hash, b.phone_masked, after.users[i]?.phone_enc, after.users[i]?.phone_hash, after.users[i]?.phone_masked, 'phone'] as const),
      ...before.residents.flatMap((b, i) => [
        [b.phone_enc, b.phone_hash, b.phone_masked, after.residents[i]?.phone_enc, after.residents[i]?.phone_hash, after.residents[i]?.phone_masked, 'phone'] as const,
        [b.id_number_enc, b.id_number_hash, b.id_number_masked, after.residents[i]?.id_number_enc, after.residents[i]?.id_number_hash, after.residents[i]?.id_number_masked, 'id_number'] as const,
      ]),
      ...before.matters.map((b, i) => [b.contact_phone_enc, b.contact_phone_hash, b.contact_phone_masked, after.matters[i]?.contact_phone_enc, after.matters[i]?.contact_phone_hash, after.matters[i]?.contact_phone_masked, 'phone'] as const),
    ];
    expect(pairs).toHaveLength(8);
    for (const [oldEnc, oldHash, oldMasked, enc, hash, masked, kind] of pairs) {
      if (!oldEnc || !enc) throw new Error('a sealed number went missing');
      const value = oldVault.open(oldEnc);
      expect(vault.open(enc)).toBe(value);
      expect(hash).toBe(vault.hash(kind, value));
      expect(hash).not.toBe(oldHash);
      expect(masked).toBe(oldMasked);
      // The old key opens nothing of what is stored now.
      expect(() => oldVault.open(enc)).toThrow();
    }
    expect(await t.deps.db.selectFrom('phone_codes').select('id').execute()).toEqual([]);
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'pii.rotate_key').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: null, subject_type: 'pii_key', subject_id: keyFingerprint(newKey) });
    expect(audit[0]?.details).toMatchObject({ numbers: 8, from: keyFingerprint(TEST_PII_KEY) });
  });

  it('with the new key, finds residents by phone, reveals numbers, knows ID numbers and signs the same phone in again', async () => {
    const fresh = await t.another({ env: { DUALGRID_PII_KEY: newKey.toString('base64') } });
    const staff = await fresh.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 't_staff1', password: 'test-password-1' } });
    const headers = { cookie: `dg_session=${staff.cookies.find((c) => c.name === 'dg_session')?.value}` };
    const found = await fresh.app.inject({ method: 'GET', url: '/api/residents?phone=13812345678', headers });
    expect(found.json().items.map((r: { name: string }) => r.name)).toEqual(['王建国']);
    const revealed = await fresh.app.inject({ method: 'POST', url: `/api/residents/${t.town.residents.r11}/reveal`, headers, payload: { fields: ['phone'], reason: '轮换密钥后核对' } });
    expect(revealed.json()).toEqual({ id: t.town.residents.r11, phone: '13812345678' });
    // The ID number's hash is what keeps it unique.
    const duplicate = { gridId: t.town.g11.id, householdId: t.town.households.h1.id, name: '重复登记', gender: 'M', birthDate: '1949-12-31', idNumber: '11010519491231002X' };
    expectError(await fresh.app.inject({ method: 'POST', url: '/api/residents', headers, payload: duplicate }), 409, 'CONFLICT');
    expect(await phoneSignIn(fresh.app)).toMatchObject({ newAccount: false, displayName: '居民2222' });
  });

  it('with the old key, matches nothing (and, above, opens nothing)', async () => {
    const headers = await t.login('t_staff1');
    const found = await t.app.inject({ method: 'GET', url: '/api/residents?phone=13812345678', headers });
    expect(found.statusCode).toBe(200);
    expect(found.json().items).toEqual([]);
  });

  it('refuses to serve with the old key after the rotation, and accepts the new one', async () => {
    await expect(assertKeyOpensData(t.deps.db, TEST_PII_KEY)).rejects.toThrow(/does not open the personal data/);
    await expect(assertKeyOpensData(t.deps.db, newKey)).resolves.toBeUndefined();
  });
});
