import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { type MapTiles, parseMapTiles } from './core/geo/tiles.ts';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite in dataDir is used. */
  databaseUrl: string | null;
  /** Folder for embedded data, keys and uploaded files. */
  dataDir: string;
  /** Folder for uploaded photos (content-addressed); back it up together with the database. */
  filesDir: string;
  /** 32-byte key for encrypting and hashing personal information (PIPL); never stored in the database. */
  piiKey: Buffer;
  /** Load the demo town on the first start of an empty database. */
  demoOnEmpty: boolean;
  /** The demo's stream of group messages (DUALGRID_DEMO_CHATTER, default on): off, its job posts nothing and stops. */
  demoChatter: boolean;
  sessionTtlHours: number;
  /** Secure flag on session cookies; on behind HTTPS in production. */
  secureCookies: boolean;
  logLevel: string;
  /** A request slower than this is logged at info (DUALGRID_SLOW_REQUEST_MS, default 1000); every request is at debug. */
  slowRequestMs: number;
  /** Where one-time phone codes go: a signed webhook to the town's SMS gateway, or 'demo' (the code comes back in the response). */
  smsMode: 'webhook' | 'demo';
  /** The SMS gateway webhook (DUALGRID_SMS_WEBHOOK_URL) and its HMAC secret; both set, or neither. */
  smsWebhookUrl: string | null;
  smsWebhookSecret: string | null;
  /** Base URL people outside reach the app at, for links posted to chat groups (DUALGRID_PUBLIC_URL); no trailing slash. */
  publicUrl: string;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For), as Fastify's trustProxy takes it:
   * false (the default: the socket's address), true, a hop count, or a comma list of addresses/CIDRs
   * (DUALGRID_TRUST_PROXY). The login throttles key on this address, so trust only your own proxies.
   */
  trustProxy: boolean | number | string;
  /** A bearer token that may read /metrics (DUALGRID_METRICS_TOKEN); without it only the allow-list may. */
  metricsToken: string | null;
  /** Client addresses that may read /metrics without a token (DUALGRID_METRICS_ALLOW, comma list; default loopback). */
  metricsAllow: string[];
  /** The maps' tile server (DUALGRID_MAP_TILES_URL, _CRS, _ATTRIBUTION, _SUBDOMAINS, _MAX_ZOOM); null: the maps draw their own layers (docs/maps.md). */
  mapTiles: MapTiles | null;
}

type Env = Record<string, string | undefined>;

function parseBool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/** Reads the PII key from env, or from a key file beside the data (created once for embedded installs). */
function loadPiiKey(env: Env, dataDir: string, embedded: boolean): Buffer {
  const fromEnv = env.DUALGRID_PII_KEY;
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('DUALGRID_PII_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
    return key;
  }
  const keyFile = env.DUALGRID_PII_KEY_FILE ?? join(dataDir, 'pii.key');
  if (existsSync(keyFile)) return Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
  if (!embedded) {
    throw new Error('Set DUALGRID_PII_KEY (or DUALGRID_PII_KEY_FILE) when using PostgreSQL: every app copy must share the key');
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(keyFile, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}

/** The SMS gateway: a URL and a secret together turn demo mode off; one without the other is a mistake. */
function loadSms(env: Env): Pick<Config, 'smsMode' | 'smsWebhookUrl' | 'smsWebhookSecret'> {
  const url = env.DUALGRID_SMS_WEBHOOK_URL || null;
  const secret = env.DUALGRID_SMS_WEBHOOK_SECRET || null;
  if (!url && !secret) return { smsMode: 'demo', smsWebhookUrl: null, smsWebhookSecret: null };
  if (!url || !secret) throw new Error('Set both DUALGRID_SMS_WEBHOOK_URL and DUALGRID_SMS_WEBHOOK_SECRET, or neither (demo SMS mode)');
  if (!/^https?:\/\//.test(url)) throw new Error(`DUALGRID_SMS_WEBHOOK_URL must be an http(s) URL, got ${url}`);
  return { smsMode: 'webhook', smsWebhookUrl: url, smsWebhookSecret: secret };
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.DUALGRID_DATA_DIR ?? './data');
  const databaseUrl = env.DATABASE_URL || null;
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    filesDir: resolve(env.DUALGRID_FILES_DIR ?? join(dataDir, 'files')),
    piiKey: loadPiiKey(env, dataDir, databaseUrl === null),
    demoOnEmpty: !parseBool(env.DUALGRID_NO_DEMO, false),
    demoChatter: parseBool(env.DUALGRID_DEMO_CHATTER, true),
    sessionTtlHours: Number(env.DUALGRID_SESSION_TTL_HOURS ?? 12),
    secureCookies: parseBool(env.DUALGRID_SECURE_COOKIES, false),
    logLevel: env.LOG_LEVEL ?? 'info',
    slowRequestMs: Number(env.DUALGRID_SLOW_REQUEST_MS ?? 1000),
    ...loadSms(env),
    publicUrl: (env.DUALGRID_PUBLIC_URL || 'http://localhost:8080').replace(/\/+$/, ''),
    trustProxy: parseTrustProxy(env.DUALGRID_TRUST_PROXY),
    metricsToken: env.DUALGRID_METRICS_TOKEN || null,
    metricsAllow: (env.DUALGRID_METRICS_ALLOW ?? '127.0.0.1,::1,::ffff:127.0.0.1').split(',').map((s) => s.trim()).filter(Boolean),
    mapTiles: parseMapTiles(env),
  };
}
