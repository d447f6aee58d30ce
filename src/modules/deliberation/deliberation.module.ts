import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import type { MattersService } from '../matters/matters.service.ts';
import type { StructureService } from '../structure/structure.service.ts';
import { boardRoutes } from './board.routes.ts';
import { BoardService } from './board.service.ts';
import { DecisionsService } from './decisions.service.ts';
import { deliberationRoutes } from './deliberation.routes.ts';
import { DiscussionService } from './discussion.service.ts';
import { FiguresService } from './figures.service.ts';
import { meetingsRoutes } from './meetings.routes.ts';
import { MeetingsService } from './meetings.service.ts';
import { PlansService } from './plans.service.ts';
import { projectsRoutes } from './projects.routes.ts';
import { ProjectsService } from './projects.service.ts';
import { TopicsService } from './topics.service.ts';

/** Deliberation (议事协商): topics, discussion, plans, votes, pledges; meetings and implementation build on the topics. */
export async function deliberationModule(app: FastifyInstance, deps: AppDeps, structure: StructureService, matters: MattersService) {
  const topics = new TopicsService(deps, structure);
  const discussion = new DiscussionService(deps, topics);
  const plans = new PlansService(deps, topics);
  const decisions = new DecisionsService(deps, topics);
  const figures = new FiguresService(deps, structure);
  await app.register(deliberationRoutes({ topics, discussion, plans, decisions, figures }));
  const meetings = new MeetingsService(deps, topics);
  await app.register(meetingsRoutes(meetings));
  const projects = new ProjectsService(deps, topics, matters);
  await app.register(projectsRoutes(projects));
  await app.register(boardRoutes(new BoardService(deps)));
  return { topics, decisions, meetings, projects };
}
