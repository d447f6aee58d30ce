import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { communityBoardSchema, topicBoardSchema } from './board.schema.ts';
import type { BoardService } from './board.service.ts';

const tags = ['deliberation'];

/** The public notice board (公示栏): no sign-in, nothing personal; the pages /board/c/:id and /board/t/:id print it. */
export function boardRoutes(board: BoardService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/public/board/communities/:id', {
      schema: { tags, summary: 'A community\'s public notice board: its topics raised, decided, funded and built (no sign-in, nothing personal)', params: z.object({ id: idParam }), response: { 200: communityBoardSchema } },
    }, async (req) => board.community(req.params.id));

    app.get('/api/public/board/topics/:id', {
      schema: { tags, summary: 'One topic\'s public notice: plans, pledges (masked), minutes, the decision and the project (no sign-in)', params: z.object({ id: idParam }), response: { 200: topicBoardSchema } },
    }, async (req) => board.topic(req.params.id));
  };
}
