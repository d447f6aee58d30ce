import { describe, expect, it } from 'vitest';
import { maskPersonName, projectProgress } from './stages.ts';
import { type Ballot, tally } from './tally.ts';

const yes = (n: number): Ballot[] => Array.from({ length: n }, () => ({ approval: 'yes', planId: null, ranking: null }));
const no = (n: number): Ballot[] => Array.from({ length: n }, () => ({ approval: 'no', planId: null, ranking: null }));
const abstain = (n: number): Ballot[] => Array.from({ length: n }, () => ({ approval: 'abstain', planId: null, ranking: null }));
const pick = (planId: number, n: number): Ballot[] => Array.from({ length: n }, () => ({ approval: null, planId, ranking: null }));
const rank = (ranking: number[], n: number): Ballot[] => Array.from({ length: n }, () => ({ approval: null, planId: null, ranking }));
const approve = { type: 'approve' as const, quorumPercent: 0, majority: 'simple' as const, eligible: 100, planIds: [] };

describe('tallying a vote', () => {
  it('passes an approval with more than half of the yes-or-no ballots; a tie fails; abstentions only count toward quorum', () => {
    expect(tally([...yes(6), ...no(5), ...abstain(9)], approve)).toMatchObject({ passed: true, voters: 20, approvals: { yes: 6, no: 5, abstain: 9 }, turnoutPercent: 20 });
    expect(tally([...yes(5), ...no(5)], approve)).toMatchObject({ passed: false });
  });

  it('holds two thirds and three quarters exactly, with no rounding', () => {
    expect(tally([...yes(2), ...no(1)], { ...approve, majority: 'two_thirds' }).passed).toBe(true);
    expect(tally([...yes(199), ...no(101)], { ...approve, majority: 'two_thirds' }).passed).toBe(false);
    expect(tally([...yes(3), ...no(1)], { ...approve, majority: 'three_quarters' }).passed).toBe(true);
    expect(tally([...yes(74), ...no(26)], { ...approve, majority: 'three_quarters' }).passed).toBe(false);
  });

  it('fails without quorum whatever the ballots say, and says why in Chinese', () => {
    const t = tally(yes(9), { ...approve, quorumPercent: 10 });
    expect(t).toMatchObject({ passed: false, quorumMet: false, turnoutPercent: 9 });
    expect(t.reason).toContain('未达到 10% 的法定人数');
    expect(tally(yes(10), { ...approve, quorumPercent: 10 })).toMatchObject({ passed: true, quorumMet: true });
    expect(tally([], approve)).toMatchObject({ passed: false, voters: 0 });
  });

  it('chooses the plan with the most ballots when it reaches the majority, and nothing on a tie at the top', () => {
    const rules = { ...approve, type: 'choose' as const, planIds: [11, 12, 13] };
    expect(tally([...pick(12, 6), ...pick(11, 3), ...pick(13, 2)], rules)).toMatchObject({ passed: true, winnerPlanId: 12, plans: [{ planId: 11, votes: 3 }, { planId: 12, votes: 6 }, { planId: 13, votes: 0 + 2 }] });
    expect(tally([...pick(12, 4), ...pick(11, 4)], rules)).toMatchObject({ passed: false, winnerPlanId: null });
    expect(tally([...pick(12, 4), ...pick(11, 3), ...pick(13, 2)], rules)).toMatchObject({ passed: false, winnerPlanId: null });
  });

  it('runs ranked ballots off until a plan holds more than half of those still counting', () => {
    const rules = { ...approve, type: 'ranked' as const, planIds: [1, 2, 3] };
    // Round 1: 1→4, 2→3, 3→2; plan 3 drops and its ballots go to plan 2: 2 wins 5 to 4.
    const t = tally([...rank([1, 2, 3], 4), ...rank([2, 1, 3], 3), ...rank([3, 2, 1], 2)], rules);
    expect(t).toMatchObject({ passed: true, winnerPlanId: 2 });
    expect(t.rounds).toEqual([[{ planId: 1, votes: 4 }, { planId: 2, votes: 3 }, { planId: 3, votes: 2 }], [{ planId: 1, votes: 4 }, { planId: 2, votes: 5 }]]);
    // A ballot naming only a dropped plan stops counting.
    expect(tally([...rank([1], 3), ...rank([2], 2), ...rank([3], 2)], rules)).toMatchObject({ passed: true, winnerPlanId: 1 });
    expect(tally([...rank([1], 2), ...rank([2], 2)], { ...rules, planIds: [1, 2] })).toMatchObject({ passed: false, winnerPlanId: null });
  });

  it('rolls a project up as the weighted average of its milestones and masks a pledger to the family name', () => {
    expect(projectProgress([])).toBe(0);
    expect(projectProgress([{ weight: 1, progress: 100 }, { weight: 1, progress: 0 }])).toBe(50);
    expect(projectProgress([{ weight: 3, progress: 100 }, { weight: 1, progress: 0 }])).toBe(75);
    expect(maskPersonName('王建国')).toBe('王**');
    expect(maskPersonName('张伟')).toBe('张*');
  });
});
