import { child, childText, type XmlElement } from './xml';

/** X-Road message protocol 4.0 header: who calls, which service, and on whose behalf. */

export const NS = {
  soapEnv: 'http://schemas.xmlsoap.org/soap/envelope/',
  xroad: 'http://x-road.eu/xsd/xroad.xsd',
  id: 'http://x-road.eu/xsd/identifiers',
  repr: 'http://x-road.eu/xsd/representation.xsd',
  dhx: 'http://dhx.x-road.eu/producer',
} as const;

export interface XRoadClientId {
  objectType: 'SUBSYSTEM' | 'MEMBER';
  xRoadInstance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode?: string;
}

export interface XRoadServiceId {
  xRoadInstance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode?: string;
  serviceCode: string;
  serviceVersion?: string;
}

/** Our own X-Road identity (the XROAD_* settings) as the client of every request we make. */
export function ourClientId(x: { instance: string; memberClass: string; memberCode: string; subsystem: string }): XRoadClientId {
  return { objectType: 'SUBSYSTEM', xRoadInstance: x.instance, memberClass: x.memberClass, memberCode: x.memberCode, subsystemCode: x.subsystem };
}

/** A service without operation and version: what DVK_SERVICE and ADIT_SERVICE name. */
export type XRoadServiceBase = Omit<XRoadServiceId, 'serviceCode' | 'serviceVersion'>;

/** A service setting (`INSTANCE/CLASS/CODE/SUBSYSTEM`) as a service id; `setting` names it in the error. */
export function parseServiceSetting(setting: string, value: string): XRoadServiceBase {
  const [xRoadInstance, memberClass, memberCode, subsystemCode] = value.split('/');
  if (!xRoadInstance || !memberClass || !memberCode || !subsystemCode) throw new Error(`${setting} ${value} is not INSTANCE/CLASS/CODE/SUBSYSTEM`);
  return { xRoadInstance, memberClass, memberCode, subsystemCode };
}

export interface RepresentedParty {
  partyClass?: string;
  partyCode: string;
}

export interface XRoadHeader {
  protocolVersion: string;
  id: string;
  userId?: string;
  issue?: string;
  client: XRoadClientId;
  service: XRoadServiceId;
  representedParty?: RepresentedParty;
}

export class XRoadHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XRoadHeaderError';
  }
}

function required(el: XmlElement | undefined, local: string, where: string): string {
  const v = childText(el, NS.id, local);
  if (!v) throw new XRoadHeaderError(`X-Road header ${where}/${local} is missing`);
  return v;
}

function optional(el: XmlElement | undefined, ns: string, local: string): string | undefined {
  const v = childText(el, ns, local);
  return v === undefined || v === '' ? undefined : v;
}

/** Reads the X-Road header from a SOAP `Header` element. */
export function parseXRoadHeader(header: XmlElement | undefined): XRoadHeader {
  if (!header) throw new XRoadHeaderError('the SOAP Header with X-Road fields is missing');
  const client = child(header, NS.xroad, 'client');
  const service = child(header, NS.xroad, 'service');
  if (!client) throw new XRoadHeaderError('X-Road header client is missing');
  if (!service) throw new XRoadHeaderError('X-Road header service is missing');
  const objectType = client.attributes[`{${NS.id}}objectType`];
  const subsystemCode = optional(client, NS.id, 'subsystemCode');
  const represented = child(header, NS.repr, 'representedParty');
  const partyCode = optional(represented, NS.repr, 'partyCode');
  const partyClass = optional(represented, NS.repr, 'partyClass');
  const userId = optional(header, NS.xroad, 'userId');
  const issue = optional(header, NS.xroad, 'issue');
  const serviceSubsystem = optional(service, NS.id, 'subsystemCode');
  const serviceVersion = optional(service, NS.id, 'serviceVersion');
  return {
    protocolVersion: childText(header, NS.xroad, 'protocolVersion') ?? '',
    id: childText(header, NS.xroad, 'id') ?? '',
    ...(userId ? { userId } : {}),
    ...(issue ? { issue } : {}),
    client: {
      objectType: objectType === 'MEMBER' || (!objectType && !subsystemCode) ? 'MEMBER' : 'SUBSYSTEM',
      xRoadInstance: required(client, 'xRoadInstance', 'client'),
      memberClass: required(client, 'memberClass', 'client'),
      memberCode: required(client, 'memberCode', 'client'),
      ...(subsystemCode ? { subsystemCode } : {}),
    },
    service: {
      xRoadInstance: required(service, 'xRoadInstance', 'service'),
      memberClass: required(service, 'memberClass', 'service'),
      memberCode: required(service, 'memberCode', 'service'),
      ...(serviceSubsystem ? { subsystemCode: serviceSubsystem } : {}),
      serviceCode: required(service, 'serviceCode', 'service'),
      ...(serviceVersion ? { serviceVersion } : {}),
    },
    ...(partyCode ? { representedParty: { partyCode, ...(partyClass ? { partyClass } : {}) } } : {}),
  };
}

/** `ee-dev/GOV/400/DHX` — the form used in logs, keys and messages. */
export function clientKey(c: XRoadClientId): string {
  return [c.xRoadInstance, c.memberClass, c.memberCode, c.subsystemCode].filter(Boolean).join('/');
}

/** The header as a plain object for the XML builder (fast-xml-parser), echoed in a response. */
export function headerForBuilder(h: XRoadHeader): Record<string, unknown> {
  const ids = (fields: Record<string, string | undefined>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => [`id:${k}`, v]));
  return {
    'xrd:client': {
      '@_id:objectType': h.client.objectType,
      ...ids({
        xRoadInstance: h.client.xRoadInstance,
        memberClass: h.client.memberClass,
        memberCode: h.client.memberCode,
        subsystemCode: h.client.subsystemCode,
      }),
    },
    'xrd:service': {
      '@_id:objectType': 'SERVICE',
      ...ids({
        xRoadInstance: h.service.xRoadInstance,
        memberClass: h.service.memberClass,
        memberCode: h.service.memberCode,
        subsystemCode: h.service.subsystemCode,
        serviceCode: h.service.serviceCode,
        serviceVersion: h.service.serviceVersion,
      }),
    },
    ...(h.representedParty
      ? {
          'repr:representedParty': {
            ...(h.representedParty.partyClass ? { 'repr:partyClass': h.representedParty.partyClass } : {}),
            'repr:partyCode': h.representedParty.partyCode,
          },
        }
      : {}),
    'xrd:id': h.id,
    ...(h.userId ? { 'xrd:userId': h.userId } : {}),
    ...(h.issue ? { 'xrd:issue': h.issue } : {}),
    'xrd:protocolVersion': h.protocolVersion || '4.0',
  };
}
