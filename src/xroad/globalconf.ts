import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { Unzip, UnzipInflate, unzipSync, zipSync } from 'fflate';
import { XMLBuilder } from 'fast-xml-parser';
import { NS, type XRoadClientId } from './header';
import { readXml, type XmlElement } from './xml';

/**
 * X-Road global configuration, the source of the DHX address book (docs/sending.md, "Global configuration";
 * DHX §7): `shared-params.xml` (root `conf`, ns `http://x-road.eu/xsd/xroad.xsd`, children unqualified; see
 * spec/dhx-adapter/xsd/shared-parameters.xsd and the real files in spec/dhx-adapter/global-conf/). A security
 * server serves it as `GET /verificationconf`: a zip holding `verificationconf/<instance>/shared-params.xml`
 * (one folder per instance it knows).
 */

export interface GlobalConfMember {
  memberClass: string;
  memberCode: string;
  name: string;
  subsystems: string[];
}

export interface GlobalGroup {
  code: string;
  description?: string;
  members: XRoadClientId[];
}

export interface GlobalConf {
  instance: string;
  members: GlobalConfMember[];
  groups: GlobalGroup[];
}

/** DHX §7: the global group whose members are DHX intermediaries (vahendajad). */
export const DHX_INTERMEDIARY_GROUP = 'DHX vahendajad';

export class GlobalConfError extends Error {
  readonly code = 'GLOBAL_CONF';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GlobalConfError';
  }
}

/**
 * A subsystem that takes DHX documents: named exactly `DHX` or starting `DHX.` (DHX §7). The reference
 * adapter's plain `startsWith("DHX")` also takes e.g. `DHXsubsystem`; the spec does not, nor do we.
 */
export function isDhxSubsystem(code: string): boolean {
  return code === 'DHX' || code.startsWith('DHX.');
}

// `conf`'s own children are unqualified in the schema; some producers qualify them — both are read.
function kids(el: XmlElement | undefined, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.local === local && (c.uri === '' || c.uri === NS.xroad)) : [];
}
function kidText(el: XmlElement | undefined, local: string): string | undefined {
  const t = kids(el, local)[0]?.text.trim();
  return t === undefined || t === '' ? undefined : t;
}
function idText(el: XmlElement, local: string): string | undefined {
  const t = el.children.find((c) => c.local === local && c.uri === NS.id)?.text.trim();
  return t === undefined || t === '' ? undefined : t;
}

/** Reads `shared-params.xml`. Members without class or code (real files have some) are skipped. */
export function parseSharedParams(input: string | Buffer): GlobalConf {
  let root: XmlElement;
  try {
    root = readXml(input, 64 * 1024 * 1024);
  } catch (err) {
    throw new GlobalConfError(`shared-params.xml is not XML: ${(err as Error).message}`, { cause: err });
  }
  if (root.local !== 'conf' || root.uri !== NS.xroad) {
    throw new GlobalConfError(`not an X-Road shared-params.xml (root ${root.local}, expected {${NS.xroad}}conf)`);
  }
  const instance = kidText(root, 'instanceIdentifier');
  if (!instance) throw new GlobalConfError('shared-params.xml has no instanceIdentifier');
  const members: GlobalConfMember[] = [];
  for (const m of kids(root, 'member')) {
    const memberClass = kidText(kids(m, 'memberClass')[0], 'code');
    const memberCode = kidText(m, 'memberCode');
    if (!memberClass || !memberCode) continue;
    const subsystems = kids(m, 'subsystem')
      .map((s) => kidText(s, 'subsystemCode'))
      .filter((s): s is string => s !== undefined);
    members.push({ memberClass, memberCode, name: kidText(m, 'name') ?? '', subsystems });
  }
  const groups: GlobalGroup[] = [];
  for (const g of kids(root, 'globalGroup')) {
    const code = kidText(g, 'groupCode');
    if (!code) continue;
    const groupMembers: XRoadClientId[] = [];
    for (const gm of kids(g, 'groupMember')) {
      const xRoadInstance = idText(gm, 'xRoadInstance');
      const memberClass = idText(gm, 'memberClass');
      const memberCode = idText(gm, 'memberCode');
      if (!xRoadInstance || !memberClass || !memberCode) continue;
      const subsystemCode = idText(gm, 'subsystemCode');
      groupMembers.push({
        objectType: subsystemCode ? 'SUBSYSTEM' : 'MEMBER',
        xRoadInstance,
        memberClass,
        memberCode,
        ...(subsystemCode ? { subsystemCode } : {}),
      });
    }
    const description = kidText(g, 'description');
    groups.push({ code, ...(description ? { description } : {}), members: groupMembers });
  }
  return { instance, members, groups };
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Default bound of the global configuration (XROAD_GLOBAL_CONF_MAX_BYTES): the real ee-dev
 * shared-params.xml is about 1 MB, so tens of MiB leave room for growth and none for a zip bomb.
 */
export const DEFAULT_GLOBAL_CONF_MAX_BYTES = 32 * 1024 * 1024;

/** Compressed bytes handed to the inflater at a time: DEFLATE expands at most ~1032×, so one step adds at most ~4 MiB. */
const INFLATE_STEP = 4096;

const SHARED_PARAMS = /(^|\/)shared-params\.xml$/;

/**
 * Inflates one entry of the zip, counting what comes out: the zip's declared sizes can lie, so the
 * bound is kept on the bytes actually produced, and inflating stops as soon as it is passed.
 */
function inflateEntry(zip: Uint8Array, name: string, maxBytes: number): Buffer {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let found = false;
  let done = false;
  const unzip = new Unzip((file) => {
    if (found || file.name !== name) return;
    found = true;
    file.ondata = (err, data, final) => {
      if (err) throw err;
      total += data.length;
      if (total > maxBytes) throw new GlobalConfError(`${name} unzips to more than ${maxBytes} bytes (XROAD_GLOBAL_CONF_MAX_BYTES); refused`);
      chunks.push(data);
      if (final) done = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for (let i = 0; i < zip.length && !done; i += INFLATE_STEP) unzip.push(zip.subarray(i, Math.min(zip.length, i + INFLATE_STEP)), i + INFLATE_STEP >= zip.length);
  if (!done) throw new GlobalConfError(`${name} in the global configuration zip is truncated`);
  return Buffer.concat(chunks, total);
}

/**
 * The shared-params.xml inside a `/verificationconf` zip: `verificationconf/<instance>/shared-params.xml`
 * for our instance; when the zip knows only one instance, that one. Only the chosen entry is inflated,
 * and not beyond `maxBytes` (a declared size above it is refused before inflating).
 */
export function sharedParamsFromZip(zip: Buffer, instance: string, maxBytes = DEFAULT_GLOBAL_CONF_MAX_BYTES): Buffer {
  const bytes = new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength);
  const declared = new Map<string, number>();
  try {
    // The central directory only: the filter sees every entry and inflates none.
    unzipSync(bytes, {
      filter: (f) => {
        if (SHARED_PARAMS.test(f.name) && !declared.has(f.name)) declared.set(f.name, f.originalSize);
        return false;
      },
    });
  } catch (err) {
    throw new GlobalConfError(`global configuration zip cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const names = [...declared.keys()];
  const ours = names.find((n) => n.split('/').slice(-2, -1)[0] === instance);
  const chosen = ours ?? (names.length === 1 ? names[0] : undefined);
  if (!chosen) {
    throw new GlobalConfError(
      names.length === 0
        ? 'global configuration zip holds no shared-params.xml'
        : `global configuration zip has no shared-params.xml for instance ${instance} (has: ${names.join(', ')})`,
    );
  }
  const size = declared.get(chosen)!;
  if (size > maxBytes) throw new GlobalConfError(`${chosen} declares ${size} bytes unzipped, more than ${maxBytes} (XROAD_GLOBAL_CONF_MAX_BYTES); refused`);
  try {
    return inflateEntry(bytes, chosen, maxBytes);
  } catch (err) {
    if (err instanceof GlobalConfError) throw err;
    throw new GlobalConfError(`global configuration zip cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads global configuration bytes: a `/verificationconf` zip or a plain shared-params.xml. */
export function parseGlobalConf(bytes: Buffer, instance: string, maxBytes = DEFAULT_GLOBAL_CONF_MAX_BYTES): GlobalConf {
  const xml = bytes.subarray(0, 4).equals(ZIP_MAGIC) ? sharedParamsFromZip(bytes, instance, maxBytes) : bytes;
  return parseSharedParams(xml);
}

export interface LoadGlobalConfOptions {
  /** Bounds the whole download (default 30 s). */
  timeoutMs?: number;
  /** Largest file or download read, and largest shared-params.xml unzipped (XROAD_GLOBAL_CONF_MAX_BYTES). */
  maxBytes?: number;
  /** For https: the security server's agent (our client certificate, its CA; src/xroad/agent.ts). */
  agent?: https.Agent;
}

/**
 * Reads `body` to its end, at most `maxBytes` of it: a declared size (Content-Length, a file's size)
 * above the bound is refused before reading, and what actually comes is refused as soon as it passes it.
 * `failed` names a read error (a broken connection, a timeout) for the message.
 */
async function readBounded(body: Readable, declared: number, maxBytes: number, where: string, failed: (err: Error) => string): Promise<Buffer> {
  if (declared > maxBytes) {
    body.destroy();
    throw new GlobalConfError(`global configuration ${where} is ${declared} bytes, more than ${maxBytes} (XROAD_GLOBAL_CONF_MAX_BYTES); refused`);
  }
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of body as AsyncIterable<Buffer>) {
      n += c.length;
      if (n > maxBytes) throw new GlobalConfError(`global configuration ${where} is larger than ${maxBytes} bytes (XROAD_GLOBAL_CONF_MAX_BYTES); refused`);
      chunks.push(c);
    }
  } catch (err) {
    if (err instanceof GlobalConfError) throw err;
    throw new GlobalConfError(failed(err as Error), { cause: err });
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks, n);
}

/** GETs `url`, reading at most `maxBytes` of the body; `timeoutMs` bounds the whole download. */
async function download(url: URL, maxBytes: number, timeoutMs: number, agent: https.Agent | undefined): Promise<Buffer> {
  let timedOut = false;
  const req = url.protocol === 'https:' ? https.get(url, { agent: agent ?? false }) : http.get(url, { agent: false });
  const timer = setTimeout(() => {
    timedOut = true;
    req.destroy(new Error('timed out'));
  }, timeoutMs);
  const failed = (err: Error): string =>
    timedOut
      ? `cannot fetch global configuration from ${url.href}: no answer within ${timeoutMs} ms`
      : err.message === 'aborted'
        ? `global configuration download from ${url.href} was cut off`
        : `cannot fetch global configuration from ${url.href}: ${err.message.split('\n')[0]}`;
  try {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', resolve);
    }).catch((err: Error) => {
      throw new GlobalConfError(failed(err), { cause: err });
    });
    if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) {
      res.resume();
      throw new GlobalConfError(`global configuration ${url.href} answered HTTP ${res.statusCode}`);
    }
    const declared = Number(res.headers['content-length']);
    return await readBounded(res, Number.isFinite(declared) ? declared : 0, maxBytes, url.href, failed);
  } finally {
    clearTimeout(timer);
    req.destroy();
  }
}

/** Reads a file, refusing one larger than `maxBytes` before reading it. */
async function readCapped(source: string, maxBytes: number): Promise<Buffer> {
  const failed = (err: Error): string => `cannot read global configuration ${source}: ${err.message}`;
  let handle: fs.promises.FileHandle;
  let size: number;
  try {
    handle = await fs.promises.open(source.startsWith('file:') ? new URL(source) : source, 'r');
  } catch (err) {
    throw new GlobalConfError(failed(err as Error), { cause: err });
  }
  try {
    ({ size } = await handle.stat());
  } catch (err) {
    await handle.close();
    throw new GlobalConfError(failed(err as Error), { cause: err });
  }
  // The stream closes the handle when it ends or is destroyed.
  return readBounded(handle.createReadStream(), size, maxBytes, source, failed);
}

/**
 * Fetches global configuration from a URL (http/https) or a file path (or `file:` URL), as zip or XML.
 * `timeoutMs` bounds the whole download; `maxBytes` what is read and what is unzipped.
 */
export async function loadGlobalConf(source: string, instance: string, opts: LoadGlobalConfOptions = {}): Promise<GlobalConf> {
  const maxBytes = opts.maxBytes ?? DEFAULT_GLOBAL_CONF_MAX_BYTES;
  const bytes = /^https?:\/\//i.test(source)
    ? await download(new URL(source), maxBytes, opts.timeoutMs ?? 30_000, opts.agent)
    : await readCapped(source, maxBytes);
  return parseGlobalConf(bytes, instance, maxBytes);
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: false });

/** Builds shared-params.xml in the real files' shape (used by the simulator and tests). */
export function buildSharedParams(conf: GlobalConf): string {
  let id = 0;
  const ident = (m: XRoadClientId): Record<string, unknown> => ({
    '@_ns2:objectType': m.objectType,
    'ns2:xRoadInstance': m.xRoadInstance,
    'ns2:memberClass': m.memberClass,
    'ns2:memberCode': m.memberCode,
    ...(m.subsystemCode ? { 'ns2:subsystemCode': m.subsystemCode } : {}),
  });
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${builder.build({
    'ns3:conf': {
      '@_xmlns:ns2': NS.id,
      '@_xmlns:ns3': NS.xroad,
      instanceIdentifier: conf.instance,
      member: conf.members.map((m) => ({
        '@_id': `id${id++}`,
        memberClass: { code: m.memberClass, description: m.memberClass },
        memberCode: m.memberCode,
        name: m.name,
        subsystem: m.subsystems.map((s) => ({ '@_id': `id${id++}`, subsystemCode: s })),
      })),
      globalGroup: conf.groups.map((g) => ({
        groupCode: g.code,
        ...(g.description ? { description: g.description } : {}),
        groupMember: g.members.map(ident),
      })),
    },
  }) as string}`;
}

/** The `/verificationconf` zip a security server serves: `verificationconf/<instance>/shared-params.xml`. */
export function buildVerificationConfZip(conf: GlobalConf): Buffer {
  const xml = new TextEncoder().encode(buildSharedParams(conf));
  return Buffer.from(zipSync({ verificationconf: { [conf.instance]: { 'shared-params.xml': xml } } }));
}
