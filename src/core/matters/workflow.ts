import { AppError } from '../errors.ts';
import { MATTER_LEVELS, type MatterLevel, type MatterStatus, ON_THE_CLOCK_STATUSES, OPEN_STATUSES, VERIFIED_STATUSES, WORKING_STATUSES } from '../vocabulary.ts';

/**
 * The closed loop of a matter (事件): collect → assign → handle → feed back → evaluate.
 * reported(上报) → registered(立案) → dispatched(派遣) → handling(处置) → handled(处置完毕)
 *   → feedback(反馈, verified and told to the reporter) → closed(结案); dissatisfaction or a failed
 * verification sends it back to handling; suspended(挂起) stops the clock; merged and rejected end it.
 */

export type MatterAction =
  | 'register' | 'reject' | 'dispatch' | 'accept' | 'return' | 'progress' | 'assist_accept' | 'assist_return' | 'assist_done' | 'handle'
  | 'verify_pass' | 'verify_fail' | 'rate_ok' | 'rate_bad' | 'close' | 'reopen' | 'suspend' | 'resume'
  | 'extend' | 'escalate' | 'merge' | 'reassign' | 'summon' | 'return_visit';

const REGISTERED_OPEN = OPEN_STATUSES.filter((s) => s !== 'reported' && s !== 'suspended');

/** For each action, the statuses it may start from. */
const FROM: Record<MatterAction, readonly MatterStatus[]> = {
  register: ['reported'],
  reject: ['reported'],
  dispatch: ['registered'],
  accept: WORKING_STATUSES,
  return: WORKING_STATUSES,
  progress: ['handling'],
  assist_accept: WORKING_STATUSES,
  assist_return: WORKING_STATUSES,
  assist_done: WORKING_STATUSES,
  handle: ['handling'],
  verify_pass: ['handled'],
  verify_fail: ['handled'],
  rate_ok: ['feedback'],
  rate_bad: ['feedback'],
  close: ['feedback'],
  reopen: ['closed', 'feedback'],
  suspend: WORKING_STATUSES,
  resume: ['suspended'],
  extend: WORKING_STATUSES,
  escalate: ['reported', ...REGISTERED_OPEN],
  merge: ['reported', 'registered'],
  reassign: ON_THE_CLOCK_STATUSES,
  summon: ON_THE_CLOCK_STATUSES,
  return_visit: VERIFIED_STATUSES,
};

/** Where an action leads; null means the status does not change (the step is still recorded). */
const TO: Partial<Record<MatterAction, MatterStatus>> = {
  register: 'registered',
  reject: 'rejected',
  dispatch: 'dispatched',
  accept: 'handling',
  return: 'registered',
  reassign: 'dispatched',
  handle: 'handled',
  verify_pass: 'feedback',
  verify_fail: 'handling',
  rate_ok: 'closed',
  rate_bad: 'handling',
  close: 'closed',
  reopen: 'handling',
  suspend: 'suspended',
  merge: 'merged',
};

const LABEL: Record<MatterStatus, string> = {
  reported: 'reported but not yet registered',
  registered: 'registered and waiting for dispatch',
  dispatched: 'dispatched and waiting for the lead to accept',
  handling: 'being handled',
  handled: 'handled and waiting for verification',
  feedback: 'verified and waiting for the reporter’s rating',
  closed: 'closed',
  suspended: 'suspended',
  merged: 'merged into another matter',
  rejected: 'not accepted as a matter',
};

/** The same words for a zh-CN reader of the refusal (statuses as the pages name them, web/src/i18n/common.ts). */
const LABEL_ZH: Record<MatterStatus, string> = {
  reported: '待研判', registered: '已立案、待派遣', dispatched: '已派遣、待接收', handling: '处置中', handled: '已处置、待核查',
  feedback: '已核查、待评价', closed: '已结案', suspended: '已挂起', merged: '已合并到别的事件', rejected: '不予立案',
};
const ACTION_ZH: Record<MatterAction, string> = {
  register: '立案', reject: '不予立案', dispatch: '派遣', accept: '接收', return: '退回', progress: '记录进展', assist_accept: '接收协办',
  assist_return: '退回协办', assist_done: '完成协办', handle: '办结', verify_pass: '核查通过', verify_fail: '核查不通过', rate_ok: '评价',
  rate_bad: '评价', close: '结案', reopen: '重新办理', suspend: '挂起', resume: '恢复办理', extend: '延期', escalate: '上报', merge: '合并',
  reassign: '改派', summon: '吹哨调度', return_visit: '回访',
};

/** The status after `action`, or an INVALID_TRANSITION refusal naming the step that is missing. */
export function nextStatus(status: MatterStatus, action: MatterAction, resumeTo?: MatterStatus | null): MatterStatus {
  if (!FROM[action].includes(status)) {
    throw new AppError('INVALID_TRANSITION', {
      en: `Cannot ${action.replace('_', ' ')} a matter that is ${LABEL[status]}.`,
      zh: `事件现在${LABEL_ZH[status]}，不能${ACTION_ZH[action]}。`,
    }, { status, action });
  }
  if (action === 'resume') return resumeTo ?? 'handling';
  // A lead accepting again, or a second acceptance while handling, keeps the matter where it is.
  if (action === 'accept' && status === 'handling') return 'handling';
  return TO[action] ?? status;
}


/** The six public stages: 上报 → 立案 → 派遣 → 处置 → 反馈 → 结案. */
export const PUBLIC_STAGES = ['上报', '立案', '派遣', '处置', '反馈', '结案'] as const;
const STAGE_OF: Record<MatterStatus, number> = {
  reported: 0, registered: 1, dispatched: 2, handling: 3, handled: 3, suspended: 3, feedback: 4, closed: 5, merged: 5, rejected: 5,
};
export const publicStage = (status: MatterStatus) => STAGE_OF[status];

/** Matter scope (家事/共事/公事) decides the level that owns it: grid, community, then the street. */
export const LEVEL_OF_SCOPE = { household: 'grid', shared: 'community', public: 'town' } as const;
/** Levels from the lowest up; a matter escalates to a later one. */
export const LEVEL_ORDER: readonly MatterLevel[] = MATTER_LEVELS;
