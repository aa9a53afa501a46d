import fs from 'node:fs';
import tls from 'node:tls';

/**
 * TLS material named by the configuration (PEM file paths), read once at start so that a missing,
 * unreadable or mismatched file is reported with every other configuration problem, not at the first
 * connection. The PEM text is kept, never the paths: nothing reads these files again.
 */

/** The adapter's own HTTPS listener (TLS_CERT, TLS_KEY, TLS_CLIENT_CA). */
export interface ListenerTls {
  cert: string;
  key: string;
  /** When set, a client certificate signed by one of these CAs is required (the security server's). */
  clientCa?: string;
}

/** Our side of the link to the security server (XROAD_TLS_CERT, XROAD_TLS_KEY, XROAD_TLS_CA). */
export interface SecurityServerTls {
  /** Our client certificate for X-Road's SSLAUTH between the information system and its security server. */
  cert?: string;
  key?: string;
  /** The security server's certificate or its CA; without it the system CAs are trusted. */
  ca?: string;
}

export interface TlsPaths {
  TLS_CERT?: string;
  TLS_KEY?: string;
  TLS_CLIENT_CA?: string;
  XROAD_TLS_CERT?: string;
  XROAD_TLS_KEY?: string;
  XROAD_TLS_CA?: string;
}

function readPem(name: string, file: string | undefined, problems: string[]): string | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`${name}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return undefined;
  }
  if (!text.includes('-----BEGIN ')) {
    problems.push(`${name}: ${file} holds no PEM block`);
    return undefined;
  }
  return text;
}

/** Certificate, key and CA must load together (a key that is not the certificate's is caught here). */
function checkContext(names: string, o: tls.SecureContextOptions, problems: string[]): boolean {
  try {
    tls.createSecureContext(o);
    return true;
  } catch (err) {
    problems.push(`${names}: ${(err as Error).message}`);
    return false;
  }
}

/** A certificate and its key are set together or not at all. */
function pairProblem(certName: string, keyName: string, cert: string | undefined, key: string | undefined): string | undefined {
  if (cert !== undefined && key === undefined) return `${certName}: set without ${keyName}`;
  if (cert === undefined && key !== undefined) return `${keyName}: set without ${certName}`;
  return undefined;
}

/**
 * An HTTPS listener's certificate, key and optional client CA, named `names` in problems (settings such as
 * TLS_CERT, or a command's flags such as --tls-cert): set together, readable, PEM, and loading together.
 */
export function readListenerTls(
  names: { cert: string; key: string; clientCa: string },
  files: { cert?: string | undefined; key?: string | undefined; clientCa?: string | undefined },
  problems: string[],
): ListenerTls | undefined {
  const pair = pairProblem(names.cert, names.key, files.cert, files.key);
  if (pair) problems.push(pair);
  if (files.clientCa !== undefined && files.cert === undefined && files.key === undefined) {
    problems.push(`${names.clientCa}: needs ${names.cert} and ${names.key} (client certificates are asked for only over HTTPS)`);
  }
  const cert = readPem(names.cert, files.cert, problems);
  const key = readPem(names.key, files.key, problems);
  const clientCa = readPem(names.clientCa, files.clientCa, problems);
  if (cert === undefined || key === undefined) return undefined;
  if (!checkContext(`${names.cert}/${names.key}`, { cert, key, ...(clientCa ? { ca: clientCa } : {}) }, problems)) return undefined;
  return { cert, key, ...(clientCa !== undefined ? { clientCa } : {}) };
}

/**
 * Reads every TLS file named; problems are appended to `problems` (the caller reports them all at once).
 * `securityServerIsHttps` tells whether XROAD_TLS_* can be used at all.
 */
export function readTlsSettings(
  paths: TlsPaths,
  securityServerIsHttps: boolean,
  problems: string[],
): { listener?: ListenerTls; securityServer: SecurityServerTls } {
  const listener = readListenerTls({ cert: 'TLS_CERT', key: 'TLS_KEY', clientCa: 'TLS_CLIENT_CA' }, { cert: paths.TLS_CERT, key: paths.TLS_KEY, clientCa: paths.TLS_CLIENT_CA }, problems);
  const before = problems.length;
  const clientPair = pairProblem('XROAD_TLS_CERT', 'XROAD_TLS_KEY', paths.XROAD_TLS_CERT, paths.XROAD_TLS_KEY);
  if (clientPair) problems.push(clientPair);
  const anyClient = paths.XROAD_TLS_CERT ?? paths.XROAD_TLS_KEY ?? paths.XROAD_TLS_CA;
  if (anyClient !== undefined && !securityServerIsHttps) {
    // Certificates for a plain-HTTP link would be silently unused: the operator believes in a protection that is not there.
    problems.push('XROAD_TLS_CERT/XROAD_TLS_KEY/XROAD_TLS_CA: set, but XROAD_SECURITY_SERVER is not an https: URL');
  }
  const securityServer: SecurityServerTls = {};
  const ccert = readPem('XROAD_TLS_CERT', paths.XROAD_TLS_CERT, problems);
  const ckey = readPem('XROAD_TLS_KEY', paths.XROAD_TLS_KEY, problems);
  const ca = readPem('XROAD_TLS_CA', paths.XROAD_TLS_CA, problems);
  if (problems.length === before) {
    if (checkContext('XROAD_TLS_CERT/XROAD_TLS_KEY/XROAD_TLS_CA', { ...(ccert ? { cert: ccert } : {}), ...(ckey ? { key: ckey } : {}), ...(ca ? { ca } : {}) }, problems)) {
      if (ccert !== undefined) securityServer.cert = ccert;
      if (ckey !== undefined) securityServer.key = ckey;
      if (ca !== undefined) securityServer.ca = ca;
    }
  }
  return { ...(listener ? { listener } : {}), securityServer };
}
