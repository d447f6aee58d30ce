import type { Approval, DecisionType, MajorityRule } from '../vocabulary.ts';


/** The tally stored when a vote closes (表决结果), so the figures never move afterwards. */
export interface TopicTally {
  voters: number; eligible: number; turnoutPercent: number; quorumMet: boolean; passed: boolean;
  approvals?: { yes: number; no: number; abstain: number };
  plans?: Array<{ planId: number; votes: number }>;
  rounds?: Array<Array<{ planId: number; votes: number }>>;
  winnerPlanId: number | null;
  reason: string;
}

/** One ballot as the register holds it: exactly one of an approval, a chosen plan, a ranking of plans. */
export interface Ballot { approval: Approval | null; planId: number | null; ranking: number[] | null }

export interface TallyRules { type: DecisionType; quorumPercent: number; majority: MajorityRule; eligible: number; planIds: number[] }

/** The share a winner needs: more than half, or at least two thirds / three quarters, as an exact fraction. */
const NEEDS: Record<MajorityRule, { num: number; den: number; strict: boolean }> = {
  simple: { num: 1, den: 2, strict: true },
  two_thirds: { num: 2, den: 3, strict: false },
  three_quarters: { num: 3, den: 4, strict: false },
};

const MAJORITY_ZH: Record<MajorityRule, string> = { simple: '过半数', two_thirds: '三分之二', three_quarters: '四分之三' };

function reaches(votes: number, of: number, rule: MajorityRule): boolean {
  if (of === 0) return false;
  const { num, den, strict } = NEEDS[rule];
  // Integers only: votes / of > num / den ⇔ votes * den > num * of, exact for 2/3 and 3/4.
  return strict ? votes * den > num * of : votes * den >= num * of;
}

/**
 * Counts the ballots of a closed vote. Quorum (法定人数) is the share of the scope's eligible residents who voted;
 * the majority rule applies to the ballots that took a side (abstentions count toward quorum, not toward the
 * majority). Approve: yes against no. Choose: the plan with the most ballots, which must reach the majority of
 * ballots cast; a tie at the top decides nothing. Ranked: instant run-off — the last plan is dropped and its
 * ballots move to their next choice until one plan has more than half of the ballots still counting.
 */
export function tally(ballots: readonly Ballot[], rules: TallyRules): TopicTally {
  const voters = ballots.length;
  const eligible = Math.max(rules.eligible, voters);
  const turnoutPercent = eligible === 0 ? 0 : Math.round((voters * 1000) / eligible) / 10;
  const quorumMet = voters * 100 >= rules.quorumPercent * eligible && voters > 0;
  const base = { voters, eligible, turnoutPercent, quorumMet };
  const noQuorum = `参与表决 ${voters} 人，占 ${turnoutPercent}%，未达到 ${rules.quorumPercent}% 的法定人数`;

  if (rules.type === 'approve') {
    const approvals = { yes: 0, no: 0, abstain: 0 };
    for (const b of ballots) if (b.approval) approvals[b.approval]++;
    const passed = quorumMet && reaches(approvals.yes, approvals.yes + approvals.no, rules.majority);
    const reason = !quorumMet ? noQuorum
      : `赞成 ${approvals.yes}，反对 ${approvals.no}，弃权 ${approvals.abstain}；${passed ? '赞成' : '赞成未'}达到${MAJORITY_ZH[rules.majority]}`;
    return { ...base, passed, approvals, winnerPlanId: null, reason };
  }

  if (rules.type === 'choose') {
    const plans = countPlans(rules.planIds, ballots.map((b) => b.planId));
    const sorted = [...plans].sort((a, b) => b.votes - a.votes || a.planId - b.planId);
    const top = sorted[0];
    const tie = !!top && sorted[1]?.votes === top.votes;
    const cast = plans.reduce((s, p) => s + p.votes, 0);
    const passed = quorumMet && !!top && !tie && reaches(top.votes, cast, rules.majority);
    const reason = !quorumMet ? noQuorum
      : tie ? `得票最多的方案票数相同（各 ${top?.votes ?? 0} 票），没有产生结果`
      : `方案 ${top?.planId} 得 ${top?.votes ?? 0} 票，共 ${cast} 票；${passed ? '' : '未'}达到${MAJORITY_ZH[rules.majority]}`;
    return { ...base, passed, plans, winnerPlanId: passed && top ? top.planId : null, reason };
  }

  // Ranked choice: instant run-off over the plans still standing.
  let standing = [...rules.planIds];
  const rounds: Array<Array<{ planId: number; votes: number }>> = [];
  const rankings = ballots.map((b) => b.ranking ?? []);
  for (;;) {
    const firsts = rankings.map((r) => r.find((p) => standing.includes(p)) ?? null);
    const round = countPlans(standing, firsts);
    rounds.push(round);
    const counting = round.reduce((s, p) => s + p.votes, 0);
    const leader = [...round].sort((a, b) => b.votes - a.votes || a.planId - b.planId)[0];
    if (!leader || counting === 0) return { ...base, passed: false, rounds, plans: rounds[0], winnerPlanId: null, reason: quorumMet ? '没有有效的排序选票' : noQuorum };
    if (reaches(leader.votes, counting, 'simple') || standing.length === 1) {
      const passed = quorumMet && reaches(leader.votes, counting, 'simple');
      const reason = !quorumMet ? noQuorum : `经过 ${rounds.length} 轮计票，方案 ${leader.planId} 得 ${leader.votes} 票，超过有效票 ${counting} 的半数`;
      return { ...base, passed, rounds, plans: rounds[0], winnerPlanId: passed ? leader.planId : null, reason };
    }
    const fewest = Math.min(...round.map((p) => p.votes));
    const out = round.filter((p) => p.votes === fewest).map((p) => p.planId);
    // All tied at the bottom together: nobody can be dropped fairly.
    if (out.length === standing.length) return { ...base, passed: false, rounds, plans: rounds[0], winnerPlanId: null, reason: `第 ${rounds.length} 轮各方案票数相同，没有产生结果` };
    standing = standing.filter((p) => !out.includes(p));
  }
}

function countPlans(planIds: readonly number[], choices: ReadonlyArray<number | null>) {
  const counts = new Map(planIds.map((p) => [p, 0]));
  for (const c of choices) if (c !== null && counts.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].map(([planId, votes]) => ({ planId, votes }));
}
