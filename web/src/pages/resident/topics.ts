import type { Item, Ok } from '../../api/types.ts';

/**
 * Shapes and small helpers of the resident's deliberation pages (议事协商, /r/topics): the names come from the
 * generated schema, so a changed endpoint breaks the type check here.
 */
export type TopicItem = Item<'/api/topics'>;
export type Topic = Ok<'/api/topics/{id}'>;
export type TopicComment = Item<'/api/topics/{id}/comments'>;
export type TopicPlan = Item<'/api/topics/{id}/plans'>;
export type TopicGoal = TopicPlan['goals'][number];
export type TopicPledge = Item<'/api/topics/{id}/pledges'>;
export type TopicProject = Ok<'/api/topics/{id}/project'>;
export type TopicStage = Topic['stage'];

/** The place a topic belongs to as residents name it: the estate (小区) by its name, else the grid or community. */
export const scopeName = (t: { scope: Topic['scope']; nodeName: string; estateName: string | null }): string =>
  t.scope === 'estate' && t.estateName ? t.estateName : t.nodeName;

/** The stages after the vote, where the result is shown. */
export const DECIDED: readonly TopicStage[] = ['decided', 'rejected', 'implementing', 'completed'];
/** The stages where residents pledge money, labour or materials (src/core/deliberation/stages.ts, 'pledge'). */
export const PLEDGING: readonly TopicStage[] = ['deliberating', 'voting', 'decided', 'implementing'];
/** The stages where the discussion is open (stages.ts, 'comment'). */
export const COMMENTING: readonly TopicStage[] = ['collecting', 'deliberating', 'voting', 'decided', 'implementing'];

/** The colour class of a stage on the cards: waiting, open, decided, closed. */
export function stageTone(stage: TopicStage): 'wait' | 'open' | 'good' | 'closed' {
  if (stage === 'collecting') return 'wait';
  if (stage === 'deliberating' || stage === 'voting') return 'open';
  if (stage === 'decided' || stage === 'implementing' || stage === 'completed') return 'good';
  return 'closed';
}
