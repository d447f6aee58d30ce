import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personal information (PIPL) is stored three ways: an HMAC for exact matching, AES-256-GCM ciphertext
 * for the rare audited reveal, and a masked form for everyday display. Both keys derive from the
 * configured secret, which never lives in the database, so a stolen dump yields neither numbers nor
 * a way to brute-force the small space of phone numbers.
 */
export interface Sealed {
  hash: string;
  enc: string;
  masked: string;
}

export type PiiKind = 'phone' | 'id_number';

export class PiiVault {
  readonly #hmacKey: Buffer;
  readonly #encKey: Buffer;

  constructor(secret: Buffer) {
    if (secret.length !== 32) throw new Error('The PII key must be 32 bytes');
    this.#hmacKey = Buffer.from(hkdfSync('sha256', secret, 'dualgrid', 'pii-hmac', 32));
    this.#encKey = Buffer.from(hkdfSync('sha256', secret, 'dualgrid', 'pii-aes-gcm', 32));
  }

  hash(kind: PiiKind, value: string): string {
    return createHmac('sha256', this.#hmacKey).update(`${kind}:${normalise(kind, value)}`).digest('base64url');
  }

  seal(kind: PiiKind, value: string): Sealed {
    const clean = normalise(kind, value);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encKey, iv);
    const body = Buffer.concat([cipher.update(clean, 'utf8'), cipher.final()]);
    const enc = `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    return { hash: this.hash(kind, clean), enc, masked: mask(kind, clean) };
  }

  open(enc: string): string {
    const [version, payload] = enc.split('.');
    if (version !== 'v1' || !payload) throw new Error('Unknown sealed value format');
    const raw = Buffer.from(payload, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.#encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

export function normalise(kind: PiiKind, value: string): string {
  const trimmed = value.replace(/[\s-]/g, '');
  if (kind === 'phone') return trimmed.replace(/^\+?86(?=1\d{10}$)/, '');
  return trimmed.toUpperCase();
}

/** 138****5678 for mobiles; 1101**********002X for ID numbers: the minimum needed to recognise one. */
export function mask(kind: PiiKind, value: string): string {
  const v = normalise(kind, value);
  if (kind === 'phone') {
    if (v.length >= 7) return `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`;
    return '*'.repeat(v.length);
  }
  if (v.length >= 8) return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
  return '*'.repeat(v.length);
}

export const isMobile = (value: string) => /^1[3-9]\d{9}$/.test(normalise('phone', value));
