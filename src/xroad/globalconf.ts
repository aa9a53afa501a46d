import fs from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { XMLBuilder } from 'fast-xml-parser';
import { NS, type XRoadClientId } from './header';
import { readXml, type XmlElement } from './xml';

/**
 * X-Road global configuration, the source of the DHX address book (DESIGN.md §1 "Sending"; DHX §7):
 * `shared-params.xml` (root `conf`, ns `http://x-road.eu/xsd/xroad.xsd`, children unqualified; see
 * spec/dhx-adapter/xsd/shared-parameters.xsd and the real files in spec/dhx-adapter/global-conf/).
 * A security server serves it as `GET /verificationconf`: a zip holding
 * `verificationconf/<instance>/shared-params.xml` (one folder per instance it knows).
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
 * The shared-params.xml inside a `/verificationconf` zip: `verificationconf/<instance>/shared-params.xml`
 * for our instance; when the zip knows only one instance, that one.
 */
export function sharedParamsFromZip(zip: Buffer, instance: string): Buffer {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength), {
      filter: (f) => /(^|\/)shared-params\.xml$/.test(f.name),
    });
  } catch (err) {
    throw new GlobalConfError(`global configuration zip cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const names = Object.keys(files);
  const ours = names.find((n) => n.split('/').slice(-2, -1)[0] === instance);
  const chosen = ours ?? (names.length === 1 ? names[0] : undefined);
  if (!chosen) {
    throw new GlobalConfError(
      names.length === 0
        ? 'global configuration zip holds no shared-params.xml'
        : `global configuration zip has no shared-params.xml for instance ${instance} (has: ${names.join(', ')})`,
    );
  }
  const bytes = files[chosen]!;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads global configuration bytes: a `/verificationconf` zip or a plain shared-params.xml. */
export function parseGlobalConf(bytes: Buffer, instance: string): GlobalConf {
  const xml = bytes.subarray(0, 4).equals(ZIP_MAGIC) ? sharedParamsFromZip(bytes, instance) : bytes;
  return parseSharedParams(xml);
}

/**
 * Fetches global configuration from a URL (http/https) or a file path (or `file:` URL), as zip or XML.
 * `timeoutMs` bounds the whole download.
 */
export async function loadGlobalConf(source: string, instance: string, opts: { timeoutMs?: number } = {}): Promise<GlobalConf> {
  let bytes: Buffer;
  if (/^https?:\/\//i.test(source)) {
    let res: Response;
    try {
      res = await fetch(source, { signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new GlobalConfError(`cannot fetch global configuration from ${source}: ${(err as Error).message}`, { cause: err });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new GlobalConfError(`global configuration ${source} answered HTTP ${res.status}`);
    }
    bytes = Buffer.from(await res.arrayBuffer());
  } else {
    const file = source.startsWith('file:') ? new URL(source) : source;
    try {
      bytes = await fs.promises.readFile(file);
    } catch (err) {
      throw new GlobalConfError(`cannot read global configuration ${source}: ${(err as Error).message}`, { cause: err });
    }
  }
  return parseGlobalConf(bytes, instance);
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
