import { maskPersonName } from '../../core/deliberation/stages.ts';
import type { TopicTally } from '../../core/deliberation/tally.ts';
import type { PlanRow, planDetails, pledgesOfTopic } from './plans.repository.ts';
import type { TopicRow } from './topics.repository.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** What the viewer brings to a topic: whether they organise it, take part in it, supported it, voted and how many did. */
export interface TopicView {
  organiser: boolean; takesPart: boolean; supported: boolean; myVote: { channel: 'phone' | 'meeting' | 'paper'; at: Date } | null; voters: number;
  raisedByName: string | null; staffRaised: boolean;
  /** The running count of an open vote whose results are not hidden; null otherwise. */
  liveTally: TopicTally | null;
}

/**
 * A topic for one viewer. Whoever raised it shows as a masked resident or by staff name; the tally of a running
 * vote is shown only when results are not hidden, to everyone alike, and once closed the stored tally is final.
 */
export function presentTopic(t: TopicRow, v: TopicView) {
  return {
    id: t.id, title: t.title, body: t.body, scope: t.scope, nodeId: t.node_id, nodeName: t.node_name, estateName: t.estate_name, origin: t.origin, stage: t.stage,
    matterId: t.matter_id, messageId: t.message_id,
    raisedBy: v.raisedByName === null ? null : v.staffRaised ? v.raisedByName : maskPersonName(v.raisedByName),
    support: { count: t.supports, threshold: t.support_threshold, until: iso(t.support_until), mine: v.supported },
    decision: {
      type: t.decision_type, quorumPercent: t.quorum_percent, majority: t.majority, resultsHidden: t.results_hidden,
      opensAt: iso(t.vote_opens_at), closesAt: iso(t.vote_closes_at), eligible: t.eligible, voters: v.voters,
      tally: t.tally ?? v.liveTally,
      myVote: v.myVote ? { channel: v.myVote.channel, at: v.myVote.at.toISOString() } : null,
      outcome: t.outcome, reviewOn: t.review_on, decidedAt: iso(t.decided_at), decidedPlanId: t.decided_plan_id,
    },
    hidden: t.hidden_at ? { reason: t.hidden_reason ?? '', at: new Date(t.hidden_at).toISOString() } : null,
    mergedInto: t.merged_into,
    mayOrganise: v.organiser, mayTakePart: v.takesPart,
    createdAt: new Date(t.created_at).toISOString(), updatedAt: new Date(t.updated_at).toISOString(),
  };
}

export const presentTopicItem = (t: TopicRow) => ({
  id: t.id, title: t.title, scope: t.scope, nodeId: t.node_id, nodeName: t.node_name, estateName: t.estate_name, origin: t.origin, stage: t.stage,
  createdAt: new Date(t.created_at).toISOString(), updatedAt: new Date(t.updated_at).toISOString(), supports: t.supports, threshold: t.support_threshold, hidden: t.hidden_at !== null,
});

export const presentEvent = (e: { id: number; action: string; note: string; details: Record<string, unknown>; at: Date; display_name: string | null }) => ({
  id: e.id, action: e.action, note: e.note, details: e.details, at: new Date(e.at).toISOString(), by: e.display_name,
});

/** A comment: a hidden one keeps its place in the thread with the reason, not its words. */
export const presentComment = (c: {
  id: number; plan_id: number | null; parent_id: number | null; author_name: string; real_name: 'resident' | 'staff' | 'none'; message_id: number | null;
  body: string; hidden_reason: string | null; created_at: Date;
}) => ({
  id: c.id, planId: c.plan_id, parentId: c.parent_id, author: c.real_name === 'staff' ? c.author_name : maskPersonName(c.author_name), realName: c.real_name,
  fromGroup: c.message_id !== null, body: c.hidden_reason === null ? c.body : '', hidden: c.hidden_reason !== null, hiddenReason: c.hidden_reason, at: new Date(c.created_at).toISOString(),
});

type PlanDetails = Awaited<ReturnType<typeof planDetails>>;

/** Plans with their authors, photos, departments, amendments and goals; a goal's percent counts pledged and delivered. */
export const presentPlans = (rows: PlanRow[], d: PlanDetails) => rows.map((p) => ({
  id: p.id, topicId: p.topic_id, title: p.title, body: p.body, costYuan: p.cost_yuan, status: p.status,
  authors: d.authors.filter((a) => a.plan_id === p.id).map((a) => a.display_name),
  photos: d.photos.filter((x) => x.plan_id === p.id).map((x) => x.file_hash),
  departments: d.departments.filter((x) => x.plan_id === p.id).map((x) => ({ id: x.id, name: x.name })),
  amendments: d.amendments.filter((a) => a.plan_id === p.id).map((a) => ({ id: a.id, author: a.display_name, body: a.body, costYuan: a.cost_yuan, state: a.state, at: new Date(a.created_at).toISOString() })),
  goals: d.goals.filter((g) => g.plan_id === p.id).map((g) => ({
    id: g.id, kind: g.kind, label: g.label, unit: g.unit, target: g.target, pledged: g.pledged, delivered: g.delivered, pledgers: g.pledgers,
    percent: Math.min(100, Math.floor((g.pledged * 100) / g.target)),
  })),
  createdAt: new Date(p.created_at).toISOString(),
}));

/** A pledge with its pledger masked to the family name, or the organisation's name. */
/** Who reads a pledge: a resident's own pledges are theirs (mine); its note is for them and the organisers only. */
export interface PledgeViewer { residentId: number | null; organiser: boolean }

export const presentPledge = (p: Awaited<ReturnType<typeof pledgesOfTopic>>[number], viewer: PledgeViewer) => {
  const mine = viewer.residentId !== null && p.resident_id === viewer.residentId;
  return {
    id: p.id, goalId: p.goal_id, planId: p.plan_id, kind: p.kind, label: p.label, unit: p.unit, amount: p.amount,
    by: p.organisation ?? maskPersonName(p.resident_name ?? ''), mine, state: p.state, note: mine || viewer.organiser ? p.note : '',
    at: new Date(p.at).toISOString(), confirmedAt: iso(p.confirmed_at),
  };
};
