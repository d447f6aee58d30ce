import { AppError } from '../errors.ts';
import type { TopicStage } from '../vocabulary.ts';

/**
 * A topic's life (议题): collecting support (征集) → deliberating (协商) → voting (表决) → decided (已决议) or
 * rejected (未通过) → implementing (实施中) → completed (已建成); expired (已过期) when the support threshold is not met
 * by the expiry; merged (已合并) into a duplicate. "民事民提、民事民议、民事民决".
 */
export type TopicAction =
  | 'support' | 'advance' | 'expire' | 'comment' | 'plan' | 'open_vote' | 'vote' | 'close_vote' | 'implement' | 'complete' | 'merge' | 'pledge' | 'meet';

const FROM: Record<TopicAction, readonly TopicStage[]> = {
  support: ['collecting'],
  advance: ['collecting'],
  expire: ['collecting'],
  comment: ['collecting', 'deliberating', 'voting', 'decided', 'implementing'],
  plan: ['collecting', 'deliberating'],
  open_vote: ['deliberating'],
  vote: ['voting'],
  close_vote: ['voting'],
  implement: ['decided'],
  complete: ['implementing'],
  merge: ['collecting', 'deliberating'],
  pledge: ['deliberating', 'voting', 'decided', 'implementing'],
  meet: ['collecting', 'deliberating', 'voting', 'decided', 'implementing'],
};

const STAGE_ZH: Record<TopicStage, string> = {
  collecting: '征集附议中', deliberating: '协商中', voting: '表决中', decided: '已决议', rejected: '未通过', implementing: '实施中',
  completed: '已建成', expired: '已过期', merged: '已合并到别的议题',
};
const ACTION_ZH: Record<TopicAction, string> = {
  support: '附议', advance: '进入协商', expire: '过期', comment: '发表意见', plan: '提交方案', open_vote: '开始表决', vote: '投票',
  close_vote: '结束表决', implement: '开始实施', complete: '确认建成', merge: '合并', pledge: '认捐', meet: '安排议事会',
};

export const topicStageZh = (stage: TopicStage) => STAGE_ZH[stage];

/** Refuses `action` on a topic at `stage` with TOPIC_NOT_OPEN, naming where the topic is. */
export function assertTopicAllows(stage: TopicStage, action: TopicAction): void {
  if (FROM[action].includes(stage)) return;
  throw new AppError('TOPIC_NOT_OPEN', {
    en: `Cannot ${action.replace('_', ' ')} on a topic that is ${stage}.`,
    zh: `这个议题${STAGE_ZH[stage]}，不能${ACTION_ZH[action]}。`,
  }, { stage, action });
}

export const topicAllows = (stage: TopicStage, action: TopicAction): boolean => FROM[action].includes(stage);

/** Whether support reaching `supports` moves a collecting topic on to deliberation (a threshold of 0 needs none). */
export const thresholdMet = (supports: number, threshold: number): boolean => supports >= threshold;

/** Stages counted as "decided" in the statistics: a decision was taken and carried. */
export const DECIDED_STAGES: readonly TopicStage[] = ['decided', 'implementing', 'completed'];
/** Stages still open to residents (进行中). */
export const ACTIVE_STAGES: readonly TopicStage[] = ['collecting', 'deliberating', 'voting', 'decided', 'implementing'];

/**
 * A project's progress (实施进度): the weighted average of its milestones' progress, rounded to a whole percent;
 * 0 with no milestones. Weights default to 1 (Decidim's accountability results roll up the same way).
 */
export function projectProgress(milestones: ReadonlyArray<{ weight: number; progress: number }>): number {
  const total = milestones.reduce((s, m) => s + m.weight, 0);
  if (total === 0) return 0;
  return Math.round(milestones.reduce((s, m) => s + m.weight * m.progress, 0) / total);
}

/** A pledger's name as the public notice board shows it (王**): the family name and a star per other character. */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}
