import type { NodeLevel } from '../core/vocabulary.ts';

/**
 * Division codes follow the national statistical scheme: 12 digits = 6 county + 3 town + 3 community.
 * A district's code ends in 000000, a town's in 000. Grid codes append a 3-digit sequence to the
 * community code (15 digits), micro-grid codes another 3 digits to the grid code (18 digits).
 */
export const childLevel: Record<NodeLevel, NodeLevel | null> = {
  district: 'town',
  town: 'community',
  community: 'grid',
  grid: 'microgrid',
  microgrid: null,
};

/** Returns a human-readable reason when `code` is not a valid code for `level` under `parentCode`, else null. */
export function codeProblem(level: NodeLevel, code: string, parentCode: string | null): string | null {
  const digits = (n: number) => new RegExp(`^\\d{${n}}$`).test(code);
  switch (level) {
    case 'district':
      if (!digits(12) || !code.endsWith('000000') || code.startsWith('000000')) {
        return 'a district code has 12 digits: 6 for the county followed by 000000';
      }
      return null;
    case 'town':
      if (!digits(12) || !code.endsWith('000') || code.slice(6, 9) === '000') {
        return 'a town code has 12 digits: the county, a 3-digit town number (not 000) and 000';
      }
      if (parentCode && code.slice(0, 6) !== parentCode.slice(0, 6)) return `a town code must start with its district's 6 digits ${parentCode.slice(0, 6)}`;
      return null;
    case 'community':
      if (!digits(12) || code.slice(9) === '000') return 'a community code has 12 digits ending in a 3-digit community number (not 000)';
      if (parentCode && code.slice(0, 9) !== parentCode.slice(0, 9)) return `a community code must start with its town's 9 digits ${parentCode.slice(0, 9)}`;
      return null;
    case 'grid':
      if (!digits(15) || code.slice(12) === '000') return 'a grid code has 15 digits: the community code and a 3-digit sequence (not 000)';
      if (parentCode && !code.startsWith(parentCode)) return `a grid code must start with its community's code ${parentCode}`;
      return null;
    case 'microgrid':
      if (!digits(18) || code.slice(15) === '000') return 'a micro-grid code has 18 digits: the grid code and a 3-digit sequence (not 000)';
      if (parentCode && !code.startsWith(parentCode)) return `a micro-grid code must start with its grid's code ${parentCode}`;
      return null;
  }
}

/** Rewrites a node's code for a new parent, keeping its own sequence digits (used when moving nodes). */
export function recode(level: NodeLevel, code: string, newParentCode: string): string {
  switch (level) {
    case 'town':
      return `${newParentCode.slice(0, 6)}${code.slice(6)}`;
    case 'community':
      return `${newParentCode.slice(0, 9)}${code.slice(9)}`;
    case 'grid':
      return `${newParentCode}${code.slice(12)}`;
    case 'microgrid':
      return `${newParentCode}${code.slice(15)}`;
    case 'district':
      return code;
  }
}
