// The steps a demo year's matters take, as one interface with two ways of taking them: through the services and the
// deadline jobs (ServiceSteps, every step its own transaction), or in memory with the same rules, written afterwards
// in bulk (RowSteps in demo.year.rows.ts). The story in demo.year.ts is told once, over this interface.
import type { RequestContext } from '../../core/scope.ts';
import type { MatterLevel, MatterStatus } from '../../core/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import type { JobRunner } from '../jobs/jobs.runner.ts';
import { createJobRunner } from '../jobs/jobs.setup.ts';
import { DispatchService } from '../matters/dispatch.service.ts';
import { EvaluationService } from '../matters/evaluation.service.ts';
import { HandlingService } from '../matters/handling.service.ts';
import { MattersService, type ReportInput } from '../matters/matters.service.ts';
import { GridLocatorCache } from '../structure/locator.cache.ts';
import { StructureService } from '../structure/structure.service.ts';
import * as repo from './demo.repository.ts';

/** What the story reads back of a matter after a step. */
export interface MatterView { id: number; urgent: boolean; grid_id: number | null; level: MatterLevel; due_at: Date | null }
export interface TargetRef { kind: 'post' | 'department' | 'node'; id: number }
export type Satisfaction = 'satisfied' | 'basically' | 'dissatisfied';

export interface YearSteps {
  report(ctx: RequestContext, input: ReportInput): Promise<MatterView>;
  register(ctx: RequestContext, id: number, categoryCode: string): Promise<MatterView>;
  reject(ctx: RequestContext, id: number, reason: string): Promise<unknown>;
  merge(ctx: RequestContext, id: number, intoId: number, note: string): Promise<unknown>;
  dispatch(ctx: RequestContext, id: number, lead: TargetRef, assists: TargetRef[]): Promise<MatterView>;
  reassign(ctx: RequestContext, id: number, lead: TargetRef, assists: TargetRef[]): Promise<MatterView>;
  returnMatter(ctx: RequestContext, id: number, reason: string): Promise<unknown>;
  accept(ctx: RequestContext, id: number): Promise<unknown>;
  escalate(ctx: RequestContext, id: number, reason: string): Promise<unknown>;
  summon(ctx: RequestContext, id: number, departments: TargetRef[], note: string): Promise<unknown>;
  request(ctx: RequestContext, id: number, kind: 'extend' | 'suspend', reason: string, extendTo?: string): Promise<{ id: number }>;
  decide(ctx: RequestContext, id: number, requestId: number, approve: boolean, note: string): Promise<MatterView>;
  resume(ctx: RequestContext, id: number, note: string): Promise<MatterView>;
  progress(ctx: RequestContext, id: number, note: string): Promise<unknown>;
  assistDone(ctx: RequestContext, id: number, note: string): Promise<unknown>;
  handle(ctx: RequestContext, id: number, note: string): Promise<unknown>;
  verify(ctx: RequestContext, id: number, passed: boolean, note: string): Promise<unknown>;
  rate(ctx: RequestContext, id: number, satisfaction: Satisfaction, comment: string): Promise<unknown>;
  close(ctx: RequestContext, id: number, note: string): Promise<unknown>;
  visit(ctx: RequestContext, id: number, outcome: string, satisfied: boolean): Promise<unknown>;
  /** What decides who dispatches a matter. */
  routing(id: number): Promise<{ level: MatterLevel; owner_node_id: number; grid_id: number | null }>;
  status(id: number): Promise<MatterStatus | undefined>;
  /** Runs the deadline jobs due at `now`, as the job runner would; how many ran. */
  runDue(now: Date, log: (what: string, err: unknown) => void): Promise<number>;
}

/** Every step through the real services, each in its own transaction, and the deadlines through the job runner. */
export class ServiceSteps implements YearSteps {
  private readonly matters: MattersService;
  private readonly dispatcher: DispatchService;
  private readonly handling: HandlingService;
  private readonly evaluation: EvaluationService;
  private jobs: JobRunner | null = null;
  private readonly deps: AppDeps;

  constructor(deps: AppDeps) {
    this.deps = deps;
    this.matters = new MattersService(deps, new StructureService(deps, new GridLocatorCache(deps.db)));
    this.dispatcher = new DispatchService(deps);
    this.handling = new HandlingService(deps);
    this.evaluation = new EvaluationService(deps);
  }

  report = (ctx: RequestContext, input: ReportInput) => this.matters.report(ctx, input);
  register = (ctx: RequestContext, id: number, categoryCode: string) => this.matters.register(ctx, id, { categoryCode });
  reject = (ctx: RequestContext, id: number, reason: string) => this.matters.reject(ctx, id, reason);
  merge = (ctx: RequestContext, id: number, intoId: number, note: string) => this.evaluation.merge(ctx, id, intoId, note);
  dispatch = (ctx: RequestContext, id: number, lead: TargetRef, assists: TargetRef[]) => this.dispatcher.dispatch(ctx, id, { lead, assists });
  reassign = (ctx: RequestContext, id: number, lead: TargetRef, assists: TargetRef[]) => this.dispatcher.reassign(ctx, id, { lead, assists });
  returnMatter = (ctx: RequestContext, id: number, reason: string) => this.dispatcher.returnMatter(ctx, id, reason);
  accept = (ctx: RequestContext, id: number) => this.dispatcher.accept(ctx, id);
  escalate = (ctx: RequestContext, id: number, reason: string) => this.dispatcher.escalate(ctx, id, { reason });
  summon = (ctx: RequestContext, id: number, departments: TargetRef[], note: string) => this.dispatcher.summon(ctx, id, { departments, note });
  request = (ctx: RequestContext, id: number, kind: 'extend' | 'suspend', reason: string, extendTo?: string) => this.handling.request(ctx, id, kind, reason, extendTo);
  decide = (ctx: RequestContext, id: number, requestId: number, approve: boolean, note: string) => this.handling.decide(ctx, id, requestId, approve, note);
  resume = (ctx: RequestContext, id: number, note: string) => this.handling.resume(ctx, id, note);
  progress = (ctx: RequestContext, id: number, note: string) => this.handling.progress(ctx, id, note, []);
  assistDone = (ctx: RequestContext, id: number, note: string) => this.dispatcher.assistDone(ctx, id, note, []);
  handle = (ctx: RequestContext, id: number, note: string) => this.handling.handle(ctx, id, note, []);
  verify = (ctx: RequestContext, id: number, passed: boolean, note: string) => this.evaluation.verify(ctx, id, passed, note);
  rate = (ctx: RequestContext, id: number, satisfaction: Satisfaction, comment: string) => this.evaluation.rate(ctx, id, { satisfaction, comment });
  close = (ctx: RequestContext, id: number, note: string) => this.evaluation.close(ctx, id, note);
  visit = (ctx: RequestContext, id: number, outcome: string, satisfied: boolean) => this.evaluation.visit(ctx, id, outcome, satisfied);
  routing = (id: number) => repo.matterRouting(this.deps.db, id);
  status = (id: number) => repo.matterStatus(this.deps.db, id);

  runDue(now: Date, log: (what: string, err: unknown) => void): Promise<number> {
    this.jobs ??= createJobRunner(this.deps, { log: (msg, err) => log(`job: ${msg}`, err) });
    return this.jobs.runDue(now);
  }
}
