import fs from 'node:fs';
import net from 'node:net';
import { z } from 'zod';
import { DhxError, FailureCode } from '../errors';

/**
 * The one typed configuration (DESIGN.md §4 names), read once at the edge: environment > JSON file
 * named by DHX_CONFIG (same keys) > defaults. Every problem is reported together. Nothing outside this
 * folder reads process.env (STYLE habit 5).
 */

export interface Config {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  dataDir: string;
  logLevel: LogLevel;
  adminToken?: string;
  /** BullMQ key prefix (several adapters, or tests, may share one Redis). */
  queuePrefix: string;
  xroad: {
    instance: string;
    memberClass: string;
    memberCode: string;
    subsystem: string;
    securityServer: string;
    /** File path or URL; default `{securityServer}/verificationconf`. */
    globalConf: string;
  };
  dhx: {
    maxCapsuleBytes: number;
    /** Received capsules up to this size are stored in PostgreSQL with their row, larger ones as files. */
    inlineBlobBytes: number;
    allowedClients: string[];
    acceptedSubsystems: string[];
    duplicateWindowDays: number;
    /** Seconds between send attempts. */
    sendRetrySchedule: number[];
  };
  capsule: {
    maxFileBytes: number;
    maxTotalBytes: number;
    maxGzipRatio: number;
    maxMetadataBytes: number;
    maxFiles: number;
  };
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends DhxError {
  constructor(readonly problems: string[]) {
    super(FailureCode.CONFIG_INVALID, `configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const MiB = 1024 * 1024;
const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: 1024, mib: MiB, gib: 1024 * MiB };

const bytes = z.string().transform((s, ctx) => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(s);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    ctx.addIssue({ code: 'custom', message: `'${s}' is not a size (e.g. 262144, 256MiB, 1GB)` });
    return z.NEVER;
  }
  const value = Math.floor(Number(m[1]) * unit);
  if (value <= 0) ctx.addIssue({ code: 'custom', message: 'must be greater than 0' });
  return value;
});

/** A size that may be 0 (a feature turned off). */
const sizeOrZero = z.string().transform((s, ctx) => {
  if (/^\s*0+\s*$/.test(s)) return 0;
  const r = bytes.safeParse(s);
  if (!r.success) {
    for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  }
  return r.data;
});

const positiveInt = z.string().transform((s, ctx) => {
  const n = Number(s.trim());
  if (!/^\s*\d+\s*$/.test(s) || !Number.isSafeInteger(n) || n <= 0) {
    ctx.addIssue({ code: 'custom', message: `'${s}' is not a positive integer` });
    return z.NEVER;
  }
  return n;
});

const port = positiveInt.refine((n) => n <= 65535, 'must be at most 65535');

const url = (protocols: string[]) =>
  z.string().refine((s) => {
    try {
      return protocols.includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, `must be a URL (${protocols.join(' or ')})`);

const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function cidrProblem(cidr: string): string | undefined {
  const [addr, bits, extra] = cidr.split('/');
  const family = net.isIP(addr ?? '');
  if (!family || extra !== undefined) return `'${cidr}' is not a CIDR (e.g. 10.0.0.0/8)`;
  if (bits === undefined) return undefined; // a single address
  const max = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(bits) || Number(bits) > max) return `'${cidr}' has a prefix length outside 0–${max}`;
  return undefined;
}

const cidrList = z.string().transform((s, ctx) => {
  const items = list(s);
  if (items.length === 0) ctx.addIssue({ code: 'custom', message: 'must list at least one CIDR' });
  for (const item of items) {
    const problem = cidrProblem(item);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }
  return items;
});

const nonEmptyList = z.string().transform((s, ctx) => {
  const items = list(s);
  if (items.length === 0) ctx.addIssue({ code: 'custom', message: 'must not be empty' });
  return items;
});

const schedule = z.string().transform((s, ctx) => {
  const items = list(s);
  const values = items.map(Number);
  if (items.length === 0 || values.some((n, i) => !/^\d+$/.test(items[i]!) || n <= 0)) {
    ctx.addIssue({ code: 'custom', message: `'${s}' must be positive whole seconds separated by commas` });
  }
  return values;
});

const text = z.string().min(1, 'must not be empty');

interface Setting {
  schema: z.ZodType<unknown, string>;
  default?: string;
  secret?: boolean;
  help: string;
}

/** Every setting, its default and meaning (README lists the same). */
export const SETTINGS = {
  DATABASE_URL: { schema: url(['postgres:', 'postgresql:']), default: 'postgres://root@127.0.0.1:5432/root', help: 'PostgreSQL' },
  REDIS_URL: { schema: url(['redis:', 'rediss:']), default: 'redis://127.0.0.1:6379', help: 'Redis (BullMQ)' },
  PORT: { schema: port, default: '8080', help: 'HTTP port' },
  DATA_DIR: { schema: text, default: './.data', help: 'blob store folder' },
  LOG_LEVEL: { schema: z.enum(LOG_LEVELS), default: 'info', help: 'log level' },
  DHX_QUEUE_PREFIX: {
    schema: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
    default: 'dhx',
    help: 'BullMQ key prefix in Redis',
  },
  ADMIN_TOKEN: {
    schema: z.string().min(16, 'must be at least 16 characters'),
    secret: true,
    help: 'token for /admin and the API',
  },
  XROAD_INSTANCE: { schema: text, default: 'ee-dev', help: 'X-Road instance' },
  XROAD_MEMBER_CLASS: { schema: text, default: 'GOV', help: 'our member class' },
  XROAD_MEMBER_CODE: { schema: text, default: '70001975', help: 'our member code (SKA)' },
  XROAD_SUBSYSTEM: { schema: text, default: 'DHX', help: 'our subsystem' },
  XROAD_SECURITY_SERVER: { schema: url(['http:', 'https:']), default: 'http://127.0.0.1:8081', help: 'security server base URL' },
  XROAD_GLOBAL_CONF: { schema: text, help: 'global configuration file or URL' },
  DHX_MAX_CAPSULE_BYTES: { schema: bytes, default: '256MiB', help: 'largest capsule accepted' },
  DHX_INLINE_BLOB_BYTES: { schema: sizeOrZero, default: '1MiB', help: 'capsules up to this size are kept in PostgreSQL (0: always files)' },
  DHX_ALLOWED_CLIENTS: { schema: cidrList, default: '127.0.0.1/32,::1/128', help: 'CIDRs allowed to call POST /dhx' },
  DHX_ACCEPTED_SUBSYSTEMS: { schema: nonEmptyList, default: 'DHX', help: 'our subsystems senders may address' },
  DHX_DUPLICATE_WINDOW_DAYS: { schema: positiveInt, default: '30', help: 'duplicate consignment window' },
  DHX_SEND_RETRY_SCHEDULE: { schema: schedule, default: '30,120,1200,3600,86400', help: 'seconds between send attempts' },
  CAPSULE_MAX_FILE_BYTES: { schema: bytes, default: '512MiB', help: 'decoded bytes of one file' },
  CAPSULE_MAX_TOTAL_BYTES: { schema: bytes, default: '1GiB', help: 'decoded bytes of all files of a capsule' },
  CAPSULE_MAX_GZIP_RATIO: { schema: positiveInt, default: '200', help: 'decoded ÷ compressed bytes' },
  CAPSULE_MAX_METADATA_BYTES: { schema: bytes, default: '16MiB', help: 'capsule XML other than file content' },
  CAPSULE_MAX_FILES: { schema: positiveInt, default: '1000', help: 'File elements per capsule' },
} satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;
export type Source = 'env' | 'file' | 'default';

export interface LoadedConfig {
  config: Config;
  sources: Record<SettingName, { source: Source; raw: string } | undefined>;
}

function readFileSettings(path: string, problems: string[]): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`DHX_CONFIG: cannot read ${path}: ${(err as Error).message}`);
    return {};
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push(`DHX_CONFIG: ${path} must hold a JSON object of settings`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (!(k in SETTINGS)) problems.push(`DHX_CONFIG: unknown setting '${k}' in ${path}`);
    else if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
    else problems.push(`${k}: must be a string or number in ${path}`);
  }
  return out;
}

/** Reads and validates every setting; throws ConfigError listing every problem. */
export function loadConfigWithSources(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const problems: string[] = [];
  const file = env.DHX_CONFIG ? readFileSettings(env.DHX_CONFIG, problems) : {};
  const values: Record<string, unknown> = {};
  const sources = {} as LoadedConfig['sources'];
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, Setting][]) {
    const fromEnv = env[name];
    const raw = fromEnv !== undefined && fromEnv !== '' ? fromEnv : file[name] ?? setting.default;
    const source: Source = fromEnv !== undefined && fromEnv !== '' ? 'env' : file[name] !== undefined ? 'file' : 'default';
    sources[name] = raw === undefined ? undefined : { source, raw };
    if (raw === undefined) continue;
    const parsed = setting.schema.safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else for (const issue of parsed.error.issues) problems.push(`${name}: ${issue.message} (from ${source})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const v = values as { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };
  const securityServer = v.XROAD_SECURITY_SERVER.replace(/\/+$/, '');
  const config: Config = {
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    port: v.PORT,
    dataDir: v.DATA_DIR,
    logLevel: v.LOG_LEVEL,
    queuePrefix: v.DHX_QUEUE_PREFIX,
    ...(v.ADMIN_TOKEN !== undefined ? { adminToken: v.ADMIN_TOKEN } : {}),
    xroad: {
      instance: v.XROAD_INSTANCE,
      memberClass: v.XROAD_MEMBER_CLASS,
      memberCode: v.XROAD_MEMBER_CODE,
      subsystem: v.XROAD_SUBSYSTEM,
      securityServer,
      globalConf: v.XROAD_GLOBAL_CONF ?? `${securityServer}/verificationconf`,
    },
    dhx: {
      maxCapsuleBytes: v.DHX_MAX_CAPSULE_BYTES,
      inlineBlobBytes: v.DHX_INLINE_BLOB_BYTES,
      allowedClients: v.DHX_ALLOWED_CLIENTS,
      acceptedSubsystems: v.DHX_ACCEPTED_SUBSYSTEMS,
      duplicateWindowDays: v.DHX_DUPLICATE_WINDOW_DAYS,
      sendRetrySchedule: v.DHX_SEND_RETRY_SCHEDULE,
    },
    capsule: {
      maxFileBytes: v.CAPSULE_MAX_FILE_BYTES,
      maxTotalBytes: v.CAPSULE_MAX_TOTAL_BYTES,
      maxGzipRatio: v.CAPSULE_MAX_GZIP_RATIO,
      maxMetadataBytes: v.CAPSULE_MAX_METADATA_BYTES,
      maxFiles: v.CAPSULE_MAX_FILES,
    },
  };
  return { config, sources };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfigWithSources(env).config;
}

function redact(name: SettingName, raw: string): string {
  if ((SETTINGS[name] as Setting).secret) return '********';
  try {
    const u = new URL(raw);
    if (u.password) {
      u.password = '********';
      return u.toString();
    }
  } catch {
    // not a URL
  }
  return raw;
}

/** One line per setting: `NAME=value (env|file|default)`, secrets redacted (pg-boss style). */
export function describeConfig(loaded: LoadedConfig): Array<{ name: SettingName; value: string | null; source: Source | 'unset' }> {
  return (Object.keys(SETTINGS) as SettingName[]).map((name) => {
    const s = loaded.sources[name];
    return s ? { name, value: redact(name, s.raw), source: s.source } : { name, value: null, source: 'unset' };
  });
}
