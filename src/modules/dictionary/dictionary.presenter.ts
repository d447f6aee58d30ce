import type { CategoryRow } from '../../db/schema.ts';

export const presentCategory = (c: CategoryRow) => ({
  id: c.id, code: c.code, catalogue: c.catalogue, major: c.major, name: c.name, defaultLevel: c.default_level, scope: c.scope, complexity: c.complexity,
  leadBoard: c.lead_board, leadPost: c.lead_post, leadJointDuty: c.lead_joint_duty, assistJointDuty: c.assist_joint_duty,
  deadline: { amount: c.deadline_amount, unit: c.deadline_unit }, urgent: c.urgent, keywords: c.keywords, status: c.status,
});

type Scored = { code: string; score: number } | null;

/** A triage suggestion for free text, each suggested category named from the dictionary rows it was scored against. */
export function presentSuggestion(r: { category: Scored; alternatives: Scored[]; urgent: boolean; level: string; scope: string; reasons: string[] }, rows: CategoryRow[]) {
  const byCode = new Map(rows.map((c) => [c.code, c]));
  const named = (c: Scored) => {
    const row = c ? byCode.get(c.code) : undefined;
    return c && row ? { code: c.code, name: row.name, catalogue: row.catalogue, score: c.score } : null;
  };
  return {
    category: named(r.category), alternatives: r.alternatives.map(named).filter((c) => c !== null),
    urgent: r.urgent, level: r.level, scope: r.scope, reasons: r.reasons,
  };
}

export const presentDay = (d: { day: string; kind: 'holiday' | 'workday'; name: string }) => ({ day: d.day, kind: d.kind, name: d.name });
