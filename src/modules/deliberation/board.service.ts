import QRCode from 'qrcode';
import { maskPersonName, projectProgress } from '../../core/deliberation/stages.ts';
import type { TopicTally } from '../../core/deliberation/tally.ts';
import { notFound } from '../../core/errors.ts';
import { maskKnownNames, redactPersonal } from '../../core/redact.ts';
import type { AppDeps } from '../../deps.ts';
import * as repo from './board.repository.ts';
import { planDetails, plansOf, pledgesOfTopic } from './plans.repository.ts';
import { projectDetails, projectOfTopic } from './projects.repository.ts';

const BOARD_TOPICS = 100;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
type Pledge = Pick<Awaited<ReturnType<typeof pledgesOfTopic>>[number], 'kind' | 'amount' | 'state' | 'organisation' | 'resident_id'>;

/**
 * The public notice board (公示栏), per community and per topic: what was raised, decided, funded and built, and the
 * minutes — for anyone, signed in or not, and printed for the stairwell with a QR code back to the page. Nothing
 * personal: no one who raised, commented or voted is named; pledgers are organisations by name or residents masked
 * (王**); pledge notes are left out; the texts people wrote (titles, outcome, plans, minutes) go through the same
 * redaction as the big screen's feed (phone and ID numbers, self-given names), and every name of the community's
 * residents in them is masked too. Hidden and merged topics are not shown.
 */
export class BoardService {
  constructor(private readonly deps: AppDeps) {}

  async community(id: number) {
    const c = await repo.communityById(this.deps.db, id);
    if (!c) throw notFound({ en: `Community ${id}`, zh: `社区 ${id}` });
    const rows = await repo.boardTopics(this.deps.db, c.path, BOARD_TOPICS);
    const clean = cleaner(await repo.residentNamesUnder(this.deps.db, c.path));
    const pledges = await repo.pledgeTotalsOf(this.deps.db, rows.map((t) => t.id));
    const milestones = await repo.milestonesOfProjects(this.deps.db, rows.flatMap((t) => (t.project_id ? [t.project_id] : [])));
    const topics = rows.map((t) => item(clean, t, pledges.filter((p) => p.topic_id === t.id), t.project_id ? { status: t.project_status ?? 'running', completed_at: t.project_completed_at, milestones: milestones.filter((m) => m.project_id === t.project_id) } : null));
    const url = `${this.deps.config.publicUrl}/board/c/${c.id}`;
    return {
      community: { id: c.id, name: c.name, parentName: c.parent_name }, url, qrSvg: await qr(url),
      totals: {
        raised: topics.length, decided: topics.filter((t) => ['decided', 'implementing', 'completed'].includes(t.stage)).length,
        implementing: topics.filter((t) => t.stage === 'implementing').length, completed: topics.filter((t) => t.stage === 'completed').length,
        pledgedYuan: topics.reduce((s, t) => s + t.funding.pledgedYuan, 0), labourHours: topics.reduce((s, t) => s + t.funding.labourHours, 0),
      },
      topics, generatedAt: new Date().toISOString(),
    };
  }

  async topic(id: number) {
    const db = this.deps.db;
    const t = await repo.boardTopic(db, id);
    if (!t) throw notFound({ en: `Topic ${id}`, zh: `议题 ${id}` });
    const [pledges, plans, project, meetings, community] = await Promise.all([
      pledgesOfTopic(db, id), plansOf(db, id), projectOfTopic(db, id), repo.closedMeetingsOf(db, id), repo.communityOf(db, t.node_path),
    ]);
    const details = await planDetails(db, plans.map((p) => p.id));
    const clean = cleaner(await repo.residentNamesUnder(db, community?.path ?? t.node_path));
    const built = project ? await projectDetails(db, project.id) : null;
    const url = `${this.deps.config.publicUrl}/board/t/${t.id}`;
    return {
      community: community ? { id: community.id, name: community.name } : null, url, qrSvg: await qr(url), generatedAt: new Date().toISOString(),
      topic: { ...item(clean, t, pledges, project && built ? { status: project.status, completed_at: project.completed_at, milestones: built.milestones } : null), body: clean(t.body) },
      plans: plans.filter((p) => p.status !== 'withdrawn').map((p) => ({
        id: p.id, title: clean(p.title), body: clean(p.body), costYuan: p.cost_yuan, status: p.status,
        departments: details.departments.filter((d) => d.plan_id === p.id).map((d) => d.name),
        goals: details.goals.filter((g) => g.plan_id === p.id).map((g) => ({ kind: g.kind, label: g.label, unit: g.unit, target: g.target, pledged: g.pledged, delivered: g.delivered, pledgers: g.pledgers })),
      })),
      pledges: pledges.filter((p) => p.state !== 'cancelled').map((p) => ({
        by: p.organisation ?? maskPersonName(p.resident_name ?? ''), kind: p.kind, label: p.label, unit: p.unit, amount: p.amount, delivered: p.state === 'delivered',
      })),
      meetings: meetings.map((m) => ({
        kind: m.kind, title: clean(m.title), place: clean(m.place), station: m.station_name ? `${m.station_name}${m.brand ? `（${m.brand}）` : ''}` : null,
        startsAt: new Date(m.starts_at).toISOString(), attended: Number(m.attended ?? 0), minutes: clean(m.minutes),
      })),
      project: project && built ? {
        title: clean(project.title), status: project.status, progress: projectProgress(built.milestones), completedAt: iso(project.completed_at),
        departments: built.departments.map((d) => d.name), milestones: built.milestones.map((m) => ({ title: clean(m.title), progress: m.progress })),
      } : null,
    };
  }
}

type Clean = (text: string) => string;
const cleaner = (names: string[]): Clean => (text) => maskKnownNames(redactPersonal(text), names);

const qr = (url: string) => QRCode.toString(url, { type: 'svg', margin: 1 });

type BoardRow = Awaited<ReturnType<typeof repo.boardTopics>>[number];

function item(
  clean: Clean,
  t: Pick<BoardRow, 'id' | 'title' | 'stage' | 'scope' | 'estate_name' | 'node_name' | 'supports' | 'support_threshold' | 'decided_at' | 'outcome' | 'tally' | 'eligible' | 'created_at' | 'updated_at'>,
  pledges: Pledge[], project: { status: 'running' | 'completed'; completed_at: Date | null; milestones: Array<{ weight: number; progress: number }> } | null,
) {
  const live = pledges.filter((p) => p.state !== 'cancelled');
  const sum = (kind: string, delivered = false) => live.filter((p) => p.kind === kind && (!delivered || p.state === 'delivered')).reduce((s, p) => s + p.amount, 0);
  const tally = t.tally as TopicTally | null;
  return {
    id: t.id, title: clean(t.title), stage: t.stage, scope: t.scope, placeName: t.scope === 'estate' && t.estate_name ? t.estate_name : t.node_name,
    support: { count: t.supports, threshold: t.support_threshold },
    decision: {
      decidedAt: iso(t.decided_at), outcome: t.outcome === null ? null : clean(t.outcome), passed: tally?.passed ?? null, voters: tally?.voters ?? null,
      eligible: tally?.eligible ?? t.eligible, turnoutPercent: tally?.turnoutPercent ?? null,
    },
    funding: {
      pledgedYuan: sum('money'), deliveredYuan: sum('money', true), labourHours: sum('labour'), materials: sum('materials'),
      pledgers: new Set(live.map((p) => p.organisation ?? `r${p.resident_id}`)).size,
    },
    project: project ? { status: project.status, progress: projectProgress(project.milestones), completedAt: iso(project.completed_at) } : null,
    raisedAt: new Date(t.created_at).toISOString(), updatedAt: new Date(t.updated_at).toISOString(),
  };
}
