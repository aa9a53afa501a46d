import fs from 'node:fs';
import net from 'node:net';
import { z } from 'zod';
import { DhxError, FailureCode } from '../errors';
import { readTlsSettings, type ListenerTls, type SecurityServerTls } from './tls';

/**
 * The one typed configuration (every setting: docs/configuration.md), read once at the edge: environment >
 * JSON file named by DHX_CONFIG (same keys) > defaults. Every problem is reported together. Nothing outside
 * this folder reads process.env (docs/foundation.md, "Configuration").
 */

export interface Config {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  /** When set, PORT serves HTTPS (TLS_CERT, TLS_KEY; TLS_CLIENT_CA requires a client certificate). */
  tls?: ListenerTls;
  dataDir: string;
  /** Where blobs above the inline size are kept: `fs` (DATA_DIR) or `postgres` (large objects; docs/receive.md). */
  blobStore: 'fs' | 'postgres';
  /** A file in DATA_DIR/tmp untouched this long is abandoned and removed (by the worker role). */
  tmpMaxAgeSeconds: number;
  /** Raw capsules of finished documents older than this many days are removed (0: never); docs/operations.md, "Retention". */
  retentionDays: number;
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
    /** Largest global configuration read, and largest shared-params.xml unzipped from it. */
    globalConfMaxBytes: number;
    /** Client certificate and trusted CA for https: calls to the security server. */
    tls: SecurityServerTls;
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
    /** Seconds one sendDocument exchange may take before its answer counts as lost. */
    sendTimeoutSeconds: number;
    /** Seconds between address book refreshes (0: only `dhx addressbook refresh`). */
    addressBookRefreshSeconds: number;
  };
  /** DVK receive side (docs/dvk.md); off while `url` is empty. */
  dvk: DvkConfig;
  /** ADIT receive side (docs/adit.md); off while `service` is empty. */
  adit: AditConfig;
  /** Intake pipeline (docs/intake.md). */
  intake: IntakeConfig;
  /** Text extracted from attachments (docs/content.md). */
  text: TextConfig;
  /** Durable sending (docs/sending.md). */
  outbound: OutboundConfig;
  /** The HTTP edge (docs/receive.md, "The HTTP edge"). */
  http: HttpEdgeConfig;
  capsule: {
    maxFileBytes: number;
    maxTotalBytes: number;
    maxGzipRatio: number;
    maxMetadataBytes: number;
    maxFiles: number;
    maxTextBytes: number;
  };
}

export interface HttpEdgeConfig {
  /** Seconds a client may take to send a request's headers, a request whole, stay silent mid-body, idle between requests. */
  headersTimeoutSeconds: number;
  requestTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  keepAliveTimeoutSeconds: number;
  /** Request bodies (POST /dhx, POST /api/opinions) read at once; more get 503 with Retry-After. */
  maxConcurrentUploads: number;
  /** Bytes of one request body, all parts together, as they come over the wire. */
  maxRequestBytes: number;
}

export interface DvkConfig {
  /** SOAP endpoint of the DVK interface; empty: the poller is off. */
  url: string;
  pollSeconds: number;
  /** `arv` of receiveDocuments: documents asked for per poll. */
  batch: number;
  /** The X-Road service the requests name, `INSTANCE/CLASS/CODE/SUBSYSTEM` (operation and version added per request). */
  service: string;
  /** Seconds one DVK exchange may take. */
  timeoutSeconds: number;
}

export interface AditConfig {
  /** The ADIT X-Road service `INSTANCE/CLASS/CODE/SUBSYSTEM`; empty: the ADIT poller is off. */
  service: string;
  pollSeconds: number;
  /** Our ADIT user, sent as `xrd:userId` (default `EE` + XROAD_MEMBER_CODE). */
  userCode: string;
  /** The `infosysteem` header. */
  infosystem: string;
}

export interface TextConfig {
  /** Characters of text kept per file (more is cut). */
  maxChars: number;
  /** Milliseconds one file's reading may take in its worker thread. */
  timeoutMs: number;
  /** Files larger than this are not read for text. */
  maxInputBytes: number;
  /** Worker threads reading documents at once, per process. */
  workers: number;
}

export interface IntakeConfig {
  /** Classification rules file (JSON); undefined: the shipped rules/classification.json. */
  rulesFile?: string;
  /** Capsules one worker process handles at once. */
  concurrency: number;
  /** Attempts of a transient failure before the row waits for the reconciler; backoff doubles from backoffMs. */
  attempts: number;
  backoffMs: number;
  /** BullMQ job lock: a job of a killed worker is taken up again after about this long. */
  lockMs: number;
  /** node-cron expression (seconds field allowed) of the reconciler's pass. */
  reconcileCron: string;
  /** A row in a non-terminal state untouched this long is re-enqueued. */
  stuckAfterSeconds: number;
  /** Categories that get a business receipt ("teade dokumendi kättesaamise kohta"). */
  receiptCategories: string[];
  /** Calendar days from receipt to the due date, per category (a KOV's earlier ReplyDueDate wins). */
  dueDays: Record<string, number>;
  /** A case is `due_soon` this many days before its due date. */
  dueSoonDays: number;
  /** How often the deadline watch runs (BullMQ job scheduler). */
  deadlineWatchSeconds: number;
  /** Our name and unit on outgoing documents. */
  orgName: string;
  orgUnit: string;
}

export interface OutboundConfig {
  /** Documents one worker process sends at once. */
  concurrency: number;
  /** node-cron expression (seconds field allowed) of the pass that enqueues due retries and stuck rows. */
  scanCron: string;
  /** A row left in `sending` this long past DHX_SEND_TIMEOUT is taken as a stopped send (ambiguous). */
  stuckAfterSeconds: number;
  /** OUTBOUND_TRANSPORT: DHX sendDocument (`dhx`) or DVK sendDocuments v4 to DVK_URL (`dvk`, docs/dvk.md "Sending"). */
  transport: 'dhx' | 'dvk';
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

/** Seconds, fractions allowed (a test may want half a second). */
const seconds = z.string().transform((s, ctx) => {
  const n = Number(s.trim());
  if (!/^\s*\d+(?:\.\d+)?\s*$/.test(s) || !(n > 0)) {
    ctx.addIssue({ code: 'custom', message: `'${s}' is not a positive number of seconds` });
    return z.NEVER;
  }
  return n;
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

const INTAKE_CATEGORIES = ['noustamine', 'klat_arvamus', 'mentorlus', 'toonoustamine', 'rahvusvaheline', 'muu'];

const categoryList = z.string().transform((s, ctx) => {
  const items = list(s);
  for (const c of items) if (!INTAKE_CATEGORIES.includes(c)) ctx.addIssue({ code: 'custom', message: `'${c}' is not a category (${INTAKE_CATEGORIES.join(', ')})` });
  return items;
});

const categoryDays = z.string().transform((s, ctx) => {
  const out: Record<string, number> = {};
  for (const item of list(s)) {
    const m = /^([a-z_]+)=(\d+)$/.exec(item);
    if (!m || !INTAKE_CATEGORIES.includes(m[1]!) || Number(m[2]) <= 0) {
      ctx.addIssue({ code: 'custom', message: `'${item}' must be CATEGORY=DAYS (e.g. klat_arvamus=30)` });
      continue;
    }
    out[m[1]!] = Number(m[2]);
  }
  return out;
});

const nonNegativeInt = z.string().transform((s, ctx) => {
  if (!/^\s*\d+\s*$/.test(s)) {
    ctx.addIssue({ code: 'custom', message: `'${s}' is not a whole number` });
    return z.NEVER;
  }
  return Number(s.trim());
});

interface Setting {
  schema: z.ZodType<unknown, string>;
  default?: string;
  secret?: boolean;
  help: string;
}

/** Every setting, its default and meaning (docs/configuration.md lists the same; test/foundation/readme-settings.test.ts). */
export const SETTINGS = {
  DATABASE_URL: { schema: url(['postgres:', 'postgresql:']), default: 'postgres://root@127.0.0.1:5432/root', help: 'PostgreSQL' },
  REDIS_URL: { schema: url(['redis:', 'rediss:']), default: 'redis://127.0.0.1:6379', help: 'Redis (BullMQ)' },
  PORT: { schema: port, default: '8080', help: 'HTTP port' },
  DATA_DIR: { schema: text, default: './.data', help: 'blob store folder' },
  BLOB_STORE: { schema: z.enum(['fs', 'postgres']), default: 'fs', help: 'where blobs larger than DHX_INLINE_BLOB_BYTES are kept: fs (files in DATA_DIR) or postgres (large objects, shared by every node)' },
  DATA_TMP_MAX_AGE_SECONDS: { schema: positiveInt, default: '3600', help: 'a temporary file in DATA_DIR/tmp untouched this long is removed' },
  RETENTION_DAYS: {
    schema: nonNegativeInt,
    default: '30',
    help: 'raw capsules of inbound documents done and outbound documents delivered this many days ago are removed daily (0: never)',
  },
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
  XROAD_GLOBAL_CONF_MAX_BYTES: { schema: bytes, default: '32MiB', help: 'largest global configuration read, and largest shared-params.xml unzipped from it' },
  XROAD_TLS_CERT: { schema: text, help: 'PEM file: our client certificate for https: calls to the security server (with XROAD_TLS_KEY)' },
  XROAD_TLS_KEY: { schema: text, help: 'PEM file: the private key of XROAD_TLS_CERT' },
  XROAD_TLS_CA: { schema: text, help: "PEM file: the security server's certificate or CA to trust (default: the system CAs)" },
  TLS_CERT: { schema: text, help: 'PEM file: certificate of our listener; with TLS_KEY, PORT serves HTTPS' },
  TLS_KEY: { schema: text, help: 'PEM file: the private key of TLS_CERT' },
  TLS_CLIENT_CA: { schema: text, help: 'PEM file: CA whose client certificate the HTTPS listener requires (the security server\'s)' },
  DHX_MAX_CAPSULE_BYTES: { schema: bytes, default: '256MiB', help: 'largest capsule accepted' },
  DHX_INLINE_BLOB_BYTES: { schema: sizeOrZero, default: '1MiB', help: 'capsules and extracted files up to this size are kept in PostgreSQL (0: always files)' },
  DHX_ALLOWED_CLIENTS: { schema: cidrList, default: '127.0.0.1/32,::1/128', help: 'CIDRs allowed to call POST /dhx' },
  DHX_ACCEPTED_SUBSYSTEMS: { schema: nonEmptyList, default: 'DHX', help: 'our subsystems senders may address' },
  DHX_DUPLICATE_WINDOW_DAYS: { schema: positiveInt, default: '30', help: 'duplicate consignment window' },
  DHX_SEND_RETRY_SCHEDULE: { schema: schedule, default: '30,120,1200,3600,86400', help: 'seconds between send attempts' },
  DHX_SEND_TIMEOUT: { schema: positiveInt, default: '300', help: 'seconds a sendDocument may take before its answer counts as lost' },
  DHX_ADDRESSBOOK_REFRESH: {
    schema: z.string().regex(/^\s*\d+\s*$/, 'must be whole seconds (0: no schedule)').transform((s) => Number(s.trim())),
    default: '1200',
    help: 'seconds between address book refreshes (0: only dhx addressbook refresh)',
  },
  DVK_URL: { schema: url(['http:', 'https:']), help: 'SOAP endpoint of the DVK interface (receiveDocuments, markDocumentsReceived; sendDocuments, getSendStatus with OUTBOUND_TRANSPORT=dvk); empty: no DVK poller' },
  DVK_POLL_SECONDS: { schema: seconds, default: '60', help: 'seconds between DVK polls (worker role)' },
  DVK_POLL_BATCH: { schema: positiveInt, default: '10', help: 'documents asked for per receiveDocuments (arv)' },
  DVK_SERVICE: {
    schema: z.string().regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+\/[^/\s]+$/, 'must be INSTANCE/CLASS/CODE/SUBSYSTEM'),
    default: '{XROAD_INSTANCE}/GOV/70006317/dhl',
    help: 'the X-Road service of the DVK requests; {XROAD_INSTANCE} is replaced',
  },
  DVK_TIMEOUT_SECONDS: { schema: seconds, default: '60', help: 'seconds one DVK exchange may take before the poll counts as failed' },
  ADIT_SERVICE: {
    schema: z.string().regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+\/[^/\s]+$/, 'must be INSTANCE/CLASS/CODE/SUBSYSTEM'),
    help: 'the X-Road service of ADIT ({XROAD_INSTANCE}/GOV/70006317/adit; {XROAD_INSTANCE} is replaced), reached through XROAD_SECURITY_SERVER; empty: no ADIT poller',
  },
  ADIT_POLL_SECONDS: { schema: seconds, default: '60', help: 'seconds between ADIT polls (worker role)' },
  ADIT_USER_CODE: { schema: text, help: 'our ADIT user, sent as xrd:userId (default EE + XROAD_MEMBER_CODE)' },
  ADIT_INFOSYSTEM: { schema: text, default: 'DHX', help: 'the ADIT infosysteem header: the calling information system' },
  HTTP_HEADERS_TIMEOUT_SECONDS: { schema: seconds, default: '30', help: 'seconds a client may take to send the request line and headers (then 408)' },
  HTTP_REQUEST_TIMEOUT_SECONDS: { schema: seconds, default: '1800', help: 'seconds one whole request may take (a 256 MiB capsule over a 2 Mbit/s link fits)' },
  HTTP_IDLE_TIMEOUT_SECONDS: { schema: seconds, default: '60', help: 'seconds without a byte in the middle of a request body (then 408, the upload freed)' },
  HTTP_KEEPALIVE_TIMEOUT_SECONDS: { schema: seconds, default: '5', help: 'seconds an idle kept-alive connection stays open' },
  HTTP_MAX_CONCURRENT_UPLOADS: { schema: positiveInt, default: '64', help: 'request bodies read at once (POST /dhx, /api/opinions); more get 503' },
  HTTP_MAX_REQUEST_BYTES: { schema: bytes, help: 'bytes of one request body, all parts; default 1.4 × DHX_MAX_CAPSULE_BYTES + 2 MiB' },
  CAPSULE_MAX_FILE_BYTES: { schema: bytes, default: '512MiB', help: 'decoded bytes of one file' },
  CAPSULE_MAX_TOTAL_BYTES: { schema: bytes, default: '1GiB', help: 'decoded bytes of all files of a capsule' },
  CAPSULE_MAX_GZIP_RATIO: { schema: positiveInt, default: '200', help: 'decoded ÷ compressed bytes' },
  CAPSULE_MAX_METADATA_BYTES: { schema: bytes, default: '16MiB', help: 'capsule XML other than file content' },
  CAPSULE_MAX_FILES: { schema: positiveInt, default: '1000', help: 'File elements per capsule' },
  CAPSULE_MAX_TEXT_BYTES: {
    schema: bytes,
    default: '64KiB',
    help: 'UTF-8 bytes of one element\'s text other than file content (FileName, titles, names, identifiers); past it the capsule is refused (DHX.Validation)',
  },
  INTAKE_RULES_FILE: { schema: text, help: 'classification rules (JSON); default rules/classification.json' },
  INTAKE_CONCURRENCY: { schema: positiveInt, default: '8', help: 'capsules one worker process handles at once' },
  INTAKE_ATTEMPTS: { schema: positiveInt, default: '5', help: 'attempts of a transient intake failure before the reconciler takes over' },
  INTAKE_BACKOFF_MS: { schema: positiveInt, default: '1000', help: 'first retry delay of a transient failure (doubles)' },
  INTAKE_LOCK_MS: { schema: positiveInt, default: '30000', help: 'job lock; a killed worker\'s job is taken up again after it' },
  INTAKE_RECONCILE_CRON: { schema: text, default: '*/30 * * * * *', help: 'node-cron schedule of the reconciler' },
  INTAKE_STUCK_AFTER_SECONDS: { schema: positiveInt, default: '120', help: 'a non-terminal row untouched this long is re-enqueued' },
  INTAKE_RECEIPT_CATEGORIES: { schema: categoryList, default: 'klat_arvamus,noustamine', help: 'categories answered with a business receipt' },
  INTAKE_DUE_DAYS: { schema: categoryDays, default: 'klat_arvamus=30', help: 'CATEGORY=DAYS from receipt to the due date' },
  TEXT_MAX_CHARS: { schema: positiveInt, default: '200000', help: 'characters of text kept per attachment (more is cut, marked truncated)' },
  TEXT_TIMEOUT_MS: { schema: positiveInt, default: '10000', help: 'time one attachment\'s text may take; its worker thread is then ended (TEXT_TIMEOUT)' },
  TEXT_MAX_INPUT_BYTES: { schema: bytes, default: '20MiB', help: 'attachments larger than this are not read for text (TEXT_TOO_LARGE)' },
  TEXT_WORKERS: { schema: positiveInt, default: '1', help: 'worker threads reading attachments\' text at once, per process' },
  DEADLINE_DUE_SOON_DAYS: { schema: nonNegativeInt, default: '5', help: 'days before the due date a case is due_soon' },
  DEADLINE_WATCH_SECONDS: { schema: positiveInt, default: '3600', help: 'how often the deadline watch runs' },
  OUTBOUND_TRANSPORT: {
    schema: z.enum(['dhx', 'dvk']),
    default: 'dhx',
    help: 'how receipts and opinions go out: dhx (DHX sendDocument to the addressee) or dvk (DVK sendDocuments v4 to DVK_URL, followed by getSendStatus)',
  },
  OUTBOUND_CONCURRENCY: { schema: positiveInt, default: '16', help: 'documents one worker process sends at once' },
  OUTBOUND_SCAN_CRON: { schema: text, default: '*/5 * * * * *', help: 'node-cron schedule of the pass enqueuing due sends' },
  OUTBOUND_STUCK_AFTER_SECONDS: { schema: positiveInt, default: '60', help: 'a send unfinished this long past DHX_SEND_TIMEOUT counts as ambiguous' },
  ORG_NAME: { schema: text, default: 'Sotsiaalkindlustusamet', help: 'our name on outgoing documents' },
  ORG_UNIT: { schema: text, default: 'Laste heaolu osakond', help: 'our structural unit on outgoing documents' },
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
  const v = values as { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };
  const tls = readTlsSettings(v, typeof v.XROAD_SECURITY_SERVER === 'string' && v.XROAD_SECURITY_SERVER.startsWith('https:'), problems);
  if (v.OUTBOUND_TRANSPORT === 'dvk' && !v.DVK_URL) problems.push('OUTBOUND_TRANSPORT: dvk needs DVK_URL (the DVK interface receipts and opinions are sent to)');
  if (problems.length > 0) throw new ConfigError(problems);
  const securityServer = v.XROAD_SECURITY_SERVER.replace(/\/+$/, '');
  const config: Config = {
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    port: v.PORT,
    ...(tls.listener ? { tls: tls.listener } : {}),
    dataDir: v.DATA_DIR,
    blobStore: v.BLOB_STORE,
    tmpMaxAgeSeconds: v.DATA_TMP_MAX_AGE_SECONDS,
    retentionDays: v.RETENTION_DAYS,
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
      globalConfMaxBytes: v.XROAD_GLOBAL_CONF_MAX_BYTES,
      tls: tls.securityServer,
    },
    dhx: {
      maxCapsuleBytes: v.DHX_MAX_CAPSULE_BYTES,
      inlineBlobBytes: v.DHX_INLINE_BLOB_BYTES,
      allowedClients: v.DHX_ALLOWED_CLIENTS,
      acceptedSubsystems: v.DHX_ACCEPTED_SUBSYSTEMS,
      duplicateWindowDays: v.DHX_DUPLICATE_WINDOW_DAYS,
      sendRetrySchedule: v.DHX_SEND_RETRY_SCHEDULE,
      sendTimeoutSeconds: v.DHX_SEND_TIMEOUT,
      addressBookRefreshSeconds: v.DHX_ADDRESSBOOK_REFRESH,
    },
    dvk: {
      url: v.DVK_URL ?? '',
      pollSeconds: v.DVK_POLL_SECONDS,
      batch: v.DVK_POLL_BATCH,
      service: v.DVK_SERVICE.replace('{XROAD_INSTANCE}', v.XROAD_INSTANCE),
      timeoutSeconds: v.DVK_TIMEOUT_SECONDS,
    },
    adit: {
      service: (v.ADIT_SERVICE ?? '').replace('{XROAD_INSTANCE}', v.XROAD_INSTANCE),
      pollSeconds: v.ADIT_POLL_SECONDS,
      userCode: v.ADIT_USER_CODE ?? `EE${v.XROAD_MEMBER_CODE}`,
      infosystem: v.ADIT_INFOSYSTEM,
    },
    intake: {
      ...(v.INTAKE_RULES_FILE !== undefined ? { rulesFile: v.INTAKE_RULES_FILE } : {}),
      concurrency: v.INTAKE_CONCURRENCY,
      attempts: v.INTAKE_ATTEMPTS,
      backoffMs: v.INTAKE_BACKOFF_MS,
      lockMs: v.INTAKE_LOCK_MS,
      reconcileCron: v.INTAKE_RECONCILE_CRON,
      stuckAfterSeconds: v.INTAKE_STUCK_AFTER_SECONDS,
      receiptCategories: v.INTAKE_RECEIPT_CATEGORIES,
      dueDays: v.INTAKE_DUE_DAYS,
      dueSoonDays: v.DEADLINE_DUE_SOON_DAYS,
      deadlineWatchSeconds: v.DEADLINE_WATCH_SECONDS,
      orgName: v.ORG_NAME,
      orgUnit: v.ORG_UNIT,
    },
    text: {
      maxChars: v.TEXT_MAX_CHARS,
      timeoutMs: v.TEXT_TIMEOUT_MS,
      maxInputBytes: v.TEXT_MAX_INPUT_BYTES,
      workers: v.TEXT_WORKERS,
    },
    outbound: {
      transport: v.OUTBOUND_TRANSPORT,
      concurrency: v.OUTBOUND_CONCURRENCY,
      scanCron: v.OUTBOUND_SCAN_CRON,
      stuckAfterSeconds: v.OUTBOUND_STUCK_AFTER_SECONDS,
    },
    http: {
      headersTimeoutSeconds: v.HTTP_HEADERS_TIMEOUT_SECONDS,
      requestTimeoutSeconds: v.HTTP_REQUEST_TIMEOUT_SECONDS,
      idleTimeoutSeconds: v.HTTP_IDLE_TIMEOUT_SECONDS,
      keepAliveTimeoutSeconds: v.HTTP_KEEPALIVE_TIMEOUT_SECONDS,
      maxConcurrentUploads: v.HTTP_MAX_CONCURRENT_UPLOADS,
      // base64 with line breaks (4/3 × 78/76 ≈ 1.37) of the largest capsule, plus the envelope and framing.
      maxRequestBytes: v.HTTP_MAX_REQUEST_BYTES ?? Math.ceil(v.DHX_MAX_CAPSULE_BYTES * 1.4) + 2 * MiB,
    },
    capsule: {
      maxFileBytes: v.CAPSULE_MAX_FILE_BYTES,
      maxTotalBytes: v.CAPSULE_MAX_TOTAL_BYTES,
      maxGzipRatio: v.CAPSULE_MAX_GZIP_RATIO,
      maxMetadataBytes: v.CAPSULE_MAX_METADATA_BYTES,
      maxFiles: v.CAPSULE_MAX_FILES,
      maxTextBytes: v.CAPSULE_MAX_TEXT_BYTES,
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
