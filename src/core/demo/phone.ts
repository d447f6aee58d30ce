// Mainland mobile numbers: real carrier segments so numbers look genuine, uniqueness tracked per town.
import type { Rng } from '../prng.ts';

/** Three-digit number segments of China Mobile, China Unicom and China Telecom. */
export const MOBILE_PREFIXES: readonly string[] = [
  // China Mobile
  '134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '157', '158', '159', '172', '178',
  '182', '183', '184', '187', '188', '195', '198',
  // China Unicom
  '130', '131', '132', '145', '155', '156', '166', '175', '176', '185', '186', '196',
  // China Telecom
  '133', '149', '153', '173', '177', '180', '181', '189', '190', '191', '193', '199',
];

const PREFIX_SET = new Set(MOBILE_PREFIXES);

export function isMobileNumber(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone) && PREFIX_SET.has(phone.slice(0, 3));
}

/** Hands out numbers never handed out before by this allocator. */
export class PhoneAllocator {
  private readonly rng: Rng;
  private readonly used = new Set<string>();

  constructor(rng: Rng) {
    this.rng = rng;
  }

  next(): string {
    for (;;) {
      const prefix = this.rng.pick(MOBILE_PREFIXES);
      const rest = String(this.rng.int(0, 99_999_999)).padStart(8, '0');
      const phone = prefix + rest;
      if (!this.used.has(phone)) {
        this.used.add(phone);
        return phone;
      }
    }
  }
}
