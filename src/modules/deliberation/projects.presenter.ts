import { projectProgress } from '../../core/deliberation/stages.ts';
import type { ProjectsService } from './projects.service.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A project with its progress rolled up from the milestones (weighted), its photos by stage and the matters it sent. */
export function presentProject({ project: p, details: d, mayUpdate, mayOrganise }: Awaited<ReturnType<ProjectsService['view']>>) {
  return {
    id: p.id, topicId: p.topic_id, planId: p.plan_id, title: p.title, status: p.status, progress: projectProgress(d.milestones),
    startedAt: new Date(p.started_at).toISOString(), completedAt: iso(p.completed_at),
    departments: d.departments,
    milestones: d.milestones.map((m) => ({ id: m.id, title: m.title, weight: m.weight, progress: m.progress, dueOn: m.due_on, doneAt: iso(m.done_at) })),
    photos: d.photos.map((f) => ({ hash: f.file_hash, stage: f.stage })),
    matters: d.matters.map((m) => ({ id: m.id, code: m.code, title: m.title, status: m.status, reportedAt: new Date(m.reported_at).toISOString(), closedAt: iso(m.closed_at) })),
    mayUpdate, mayOrganise,
  };
}
