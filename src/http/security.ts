import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../core/errors.ts';
import { tileImageSource } from '../core/geo/tiles.ts';
import { SESSION_COOKIE } from './context.ts';

/**
 * The Content-Security-Policy of the built pages (web/dist): scripts, styles, fonts and API calls from this origin
 * only; inline style attributes allowed (Element Plus, Vant, Leaflet and ECharts position things with them);
 * images also as data: and blob: URLs (photos picked on the phone are previewed from blobs); no plugins, no
 * framing by anyone (the console must not be framed for clickjacking), forms post only here.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  mediaSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/** The pages' CSP: the tile server's images allowed when one is configured (docs/maps.md), HTTPS upgrades behind HTTPS. */
export function cspDirectives(config: Pick<Config, 'secureCookies' | 'mapTiles'>) {
  const imgSrc = config.mapTiles ? [...CSP_DIRECTIVES.imgSrc, tileImageSource(config.mapTiles.url)] : CSP_DIRECTIVES.imgSrc;
  return { ...CSP_DIRECTIVES, imgSrc, ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}) };
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Origins a browser may send writes from: this request's own, and the configured public URL's. */
function allowedOrigins(req: FastifyRequest, publicUrl: string): string[] {
  const own = `${req.protocol}://${req.host}`;
  try {
    return [own, new URL(publicUrl).origin];
  } catch {
    return [own];
  }
}

/**
 * Whether a write came from another site. Browsers say so in Sec-Fetch-Site (cross-site, same-site) and in Origin;
 * requests without either (curl, servers, old browsers) are not a browser's cross-site write, and SameSite=Lax on
 * the session cookie still holds for those.
 */
export function isForeignWrite(req: FastifyRequest, publicUrl: string): boolean {
  if (!UNSAFE_METHODS.has(req.method)) return false;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return !allowedOrigins(req, publicUrl).includes(origin);
}

/**
 * Response headers for every answer (helmet: CSP, frame-ancestors and X-Frame-Options, nosniff, Referrer-Policy,
 * HSTS only when the cookies are secure, i.e. behind HTTPS), and the cross-site write check: a browser write to the
 * API that came from another site and would be carried by the session cookie is refused with 403 CROSS_SITE_REQUEST.
 * Bearer-token calls and signed intake webhooks carry no cookie authority and are left alone.
 */
export async function installSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(config) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    hsts: config.secureCookies ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/intake/')) return;
    if (req.headers.authorization?.startsWith('Bearer ')) return;
    const viaCookie = req.cookies[SESSION_COOKIE] !== undefined || req.url.startsWith('/api/auth/');
    if (viaCookie && isForeignWrite(req, config.publicUrl)) {
      throw new AppError('CROSS_SITE_REQUEST', undefined, { origin: req.headers.origin ?? null, secFetchSite: req.headers['sec-fetch-site'] ?? null });
    }
  });
}
