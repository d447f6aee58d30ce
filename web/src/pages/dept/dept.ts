import type { Matter, MatterAssignment, MatterItem, Me } from '../../api/types.ts';

export type Detail = Matter;
export type ListItem = MatterItem;
export type Assignment = MatterAssignment;

/** Whether an assignment is addressed to one of the signed-in user's posts, departments or boards. */
export function isMine(me: Me | null, a: Pick<Assignment, 'targetKind' | 'targetId'>): boolean {
  return !!me?.assignments.some((x) =>
    (a.targetKind === 'post' && x.role === 'post_handler' && x.postId === a.targetId)
    || (a.targetKind === 'department' && x.role === 'department_handler' && x.departmentId === a.targetId)
    || (a.targetKind === 'board' && x.role === 'board_lead' && x.boardId === a.targetId));
}

const RANK: Record<string, number> = { pending: 0, accepted: 1, done: 2 };

/** My live assignment on a matter: the one still needing me first (pending, then accepted, then done). */
export function myAssignment(me: Me | null, d: Pick<Detail, 'assignments'>): Assignment | null {
  return d.assignments.filter((a) => a.status in RANK && isMine(me, a)).sort((a, b) => (RANK[a.status] ?? 9) - (RANK[b.status] ?? 9))[0] ?? null;
}

export type Tab = 'pending' | 'handling' | 'done';
export const tabOf = (a: Assignment | null): Tab => (a?.status === 'pending' ? 'pending' : a?.status === 'accepted' ? 'handling' : 'done');

/** What the user may do now, following src/core/matters/workflow.ts and the server's checks. */
export function actionsFor(me: Me | null, d: Detail) {
  const mine = myAssignment(me, d);
  const working = d.status === 'dispatched' || d.status === 'handling';
  const none = { accept: false, return: false, progress: false, handle: false, assistDone: false, suspend: false, extend: false, mine, waitingAssists: false };
  if (!mine || !working) return none;
  const pendingRequest = d.requests.some((r) => r.status === 'pending');
  const lead = mine.role === 'lead';
  const accepted = mine.status === 'accepted';
  const openAssists = d.assignments.some((a) => a.role === 'assist' && (a.status === 'pending' || a.status === 'accepted'));
  return {
    mine,
    accept: mine.status === 'pending',
    return: mine.status === 'pending' || accepted,
    progress: lead && accepted && d.status === 'handling',
    handle: lead && accepted && d.status === 'handling' && !openAssists,
    waitingAssists: lead && accepted && d.status === 'handling' && openAssists,
    assistDone: !lead && accepted,
    suspend: lead && accepted && !pendingRequest,
    extend: lead && accepted && !pendingRequest && d.dueAt !== null,
  };
}

/** Time left until `due` (negative when overdue), split for display. */
export function remaining(due: string | null, now: number): { overdue: boolean; d: number; h: number; m: number } | null {
  if (!due) return null;
  const ms = new Date(due).getTime() - now;
  const abs = Math.abs(ms);
  return { overdue: ms < 0, d: Math.floor(abs / 86_400_000), h: Math.floor((abs % 86_400_000) / 3_600_000), m: Math.floor((abs % 3_600_000) / 60_000) };
}

export const beijing = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) : '';
