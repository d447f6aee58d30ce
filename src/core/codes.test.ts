import { describe, expect, it } from 'vitest';
import { codeProblem, recode } from './codes.ts';

describe('division and grid codes', () => {
  it('accepts well-formed codes under their parents', () => {
    expect(codeProblem('district', '610111000000', null)).toBeNull();
    expect(codeProblem('town', '610111005000', '610111000000')).toBeNull();
    expect(codeProblem('community', '610111005003', '610111005000')).toBeNull();
    expect(codeProblem('grid', '610111005003012', '610111005003')).toBeNull();
    expect(codeProblem('microgrid', '610111005003012002', '610111005003012')).toBeNull();
  });

  it('explains what is wrong', () => {
    expect(codeProblem('district', '61011100000', null)).toMatch(/12 digits/);
    expect(codeProblem('town', '610111000000', '610111000000')).toMatch(/not 000/);
    expect(codeProblem('town', '610112005000', '610111000000')).toMatch(/610111/);
    expect(codeProblem('community', '610111006003', '610111005000')).toMatch(/610111005/);
    expect(codeProblem('grid', '610111005004012', '610111005003')).toMatch(/610111005003/);
    expect(codeProblem('grid', '610111005003000', '610111005003')).toMatch(/not 000/);
  });

  it('recodes a moved node keeping its own sequence', () => {
    expect(recode('grid', '610111005003012', '610111005007')).toBe('610111005007012');
    expect(recode('community', '610111005003', '610111006000')).toBe('610111006003');
  });
});
