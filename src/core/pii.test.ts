import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PiiVault, mask } from './pii.ts';

describe('PiiVault', () => {
  const vault = new PiiVault(randomBytes(32));

  it('seals a phone so it can be matched, revealed and shown masked', () => {
    const sealed = vault.seal('phone', '138 1234 5678');
    expect(sealed.masked).toBe('138****5678');
    expect(sealed.hash).toBe(vault.hash('phone', '+8613812345678'));
    expect(vault.open(sealed.enc)).toBe('13812345678');
    expect(sealed.enc).not.toContain('5678');
  });

  it('uses a fresh nonce per seal and a key-dependent hash', () => {
    expect(vault.seal('phone', '13812345678').enc).not.toBe(vault.seal('phone', '13812345678').enc);
    expect(new PiiVault(randomBytes(32)).hash('phone', '13812345678')).not.toBe(vault.hash('phone', '13812345678'));
  });

  it('refuses ciphertext that was tampered with or made with another key', () => {
    const sealed = vault.seal('id_number', '11010519491231002x');
    expect(vault.open(sealed.enc)).toBe('11010519491231002X');
    expect(() => new PiiVault(randomBytes(32)).open(sealed.enc)).toThrow();
    // Change the second-to-last character (the last carries unused bits), whatever it is now.
    const flipped = `${sealed.enc.slice(0, -2)}${sealed.enc.at(-2) === 'A' ? 'B' : 'A'}${sealed.enc.slice(-1)}`;
    expect(() => vault.open(flipped)).toThrow();
  });

  it('masks ID numbers keeping only the region prefix and the last four', () => {
    expect(mask('id_number', '11010519491231002X')).toBe('1101**********002X');
  });
});
