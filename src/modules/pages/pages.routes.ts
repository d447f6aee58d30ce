import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { WEB_DIST } from '../../build/pages.build.ts';
import { AppError } from '../../core/errors.ts';

/** Paths the single-page app answers (vue-router takes over in the browser); see web/vite.config.ts. */
export const APP_PREFIXES = ['/m', '/r', '/console', '/screen', '/dept', '/board', '/login', '/shop'] as const;

/** The static overview at /: links to the areas and the tree with its figures, from the public node API. */
const overview = readFileSync(new URL('./overview.html', import.meta.url), 'utf8');
const overviewScript = readFileSync(new URL('./overview.js', import.meta.url), 'utf8');

/**
 * Serves the built pages from web/dist: hashed assets cached for a year, the app shell and the service worker
 * never cached, and index.html for every path under the app's prefixes. Without a build the prefixes answer
 * 503 PAGES_NOT_BUILT (npm start and npm test build it first).
 */
export function pagesRoutes(dist: string = WEB_DIST): FastifyPluginAsync {
  return async (app) => {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(overview));
    app.get('/overview.js', { schema: { hide: true } }, async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(overviewScript));

    const index = join(dist, 'index.html');
    const built = existsSync(index);
    if (built) {
      await app.register(fastifyStatic, {
        root: dist,
        wildcard: false,
        index: false,
        setHeaders: (res, path) => {
          res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    }
    const shell = built ? readFileSync(index, 'utf8') : null;
    for (const prefix of APP_PREFIXES) {
      for (const url of [prefix, `${prefix}/*`]) {
        app.get(url, { schema: { hide: true } }, async (_req, reply) => {
          if (!shell) throw new AppError('PAGES_NOT_BUILT');
          return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(shell);
        });
      }
    }
  };
}
