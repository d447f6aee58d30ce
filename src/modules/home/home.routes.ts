import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';

const html = readFileSync(new URL('./home.html', import.meta.url), 'utf8');

/** The minimal page at / that shows the tree and the coverage figure; the real screens come later. */
export function homePage(): FastifyPluginAsync {
  return async (app) => {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html));
  };
}
