import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { nextStatus, publicStage } from './workflow.ts';

describe('matter workflow', () => {
  it('walks the closed loop', () => {
    let s = nextStatus('reported', 'register');
    s = nextStatus(s, 'dispatch');
    s = nextStatus(s, 'accept');
    s = nextStatus(s, 'progress');
    s = nextStatus(s, 'handle');
    s = nextStatus(s, 'verify_pass');
    expect(publicStage(s)).toBe(4);
    expect(nextStatus(s, 'rate_ok')).toBe('closed');
    expect(nextStatus(s, 'rate_bad')).toBe('handling');
  });

  it('refuses skipped steps with INVALID_TRANSITION', () => {
    for (const [from, action] of [['reported', 'dispatch'], ['dispatched', 'handle'], ['handling', 'verify_pass'], ['handled', 'close'], ['registered', 'rate_ok'], ['closed', 'dispatch']] as const) {
      expect(() => nextStatus(from, action)).toThrowError(AppError);
      try {
        nextStatus(from, action);
      } catch (err) {
        expect((err as AppError).code).toBe('INVALID_TRANSITION');
      }
    }
  });

  it('suspends and resumes to where it was', () => {
    expect(nextStatus('handling', 'suspend')).toBe('suspended');
    expect(nextStatus('suspended', 'resume', 'dispatched')).toBe('dispatched');
    expect(() => nextStatus('handled', 'suspend')).toThrow(/Cannot suspend/);
  });
});
