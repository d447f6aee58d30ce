import type { Selectable } from 'kysely';
import type { SensingLabelsTable } from '../../db/schema.ts';
import type { ModelSummary } from './models.repository.ts';
import type { modelSchema } from './sensing.schema.ts';
import type { z } from 'zod';

export function presentLabel(l: Selectable<SensingLabelsTable>) {
  return {
    id: l.id, messageId: l.message_id, text: l.text, actionable: l.actionable, urgentKind: l.urgent_kind, categoryCode: l.category_code,
    source: l.source, decidedBy: l.decided_by, decidedAt: l.decided_at.toISOString(),
  };
}

type Model = z.infer<typeof modelSchema>;
const num = (v: unknown, otherwise = 0) => (typeof v === 'number' ? v : otherwise);

/** A model version without its artifact (never sent): what it was trained on and how it measured. */
export function presentModel(m: ModelSummary): Model {
  const t = m.training;
  // The figures are written by models.service.ts in this shape (decision, candidate, current).
  const f = m.figures as Partial<Model['figures']>;
  return {
    id: m.id, version: m.version, status: m.status, engine: m.engine, params: m.params,
    training: {
      baseSetHash: typeof t.baseSetHash === 'string' ? t.baseSetHash : null, baseLines: num(t.baseLines), townLabels: num(t.townLabels),
      maxLabelId: typeof t.maxLabelId === 'number' ? t.maxLabelId : null, trainLines: num(t.trainLines), heldOutLines: num(t.heldOutLines),
    },
    figures: { candidate: f.candidate ?? null, current: f.current ?? null, decision: f.decision ?? 'base' },
    reason: m.reason, createdBy: m.created_by, createdAt: m.created_at.toISOString(), promotedAt: m.promoted_at?.toISOString() ?? null,
  };
}
