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

function readPem(name: keyof TlsPaths, file: string | undefined, problems: string[]): string | undefined {
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
 * Reads every TLS file named; problems are appended to `problems` (the caller reports them all at once).
 * `securityServerIsHttps` tells whether XROAD_TLS_* can be used at all.
 */
export function readTlsSettings(
  paths: TlsPaths,
  securityServerIsHttps: boolean,
  problems: string[],
): { listener?: ListenerTls; securityServer: SecurityServerTls } {
  const listenerPair = pairProblem('TLS_CERT', 'TLS_KEY', paths.TLS_CERT, paths.TLS_KEY);
  if (listenerPair) problems.push(listenerPair);
  if (paths.TLS_CLIENT_CA !== undefined && paths.TLS_CERT === undefined && paths.TLS_KEY === undefined) {
    problems.push('TLS_CLIENT_CA: needs TLS_CERT and TLS_KEY (client certificates are asked for only over HTTPS)');
  }
  const cert = readPem('TLS_CERT', paths.TLS_CERT, problems);
  const key = readPem('TLS_KEY', paths.TLS_KEY, problems);
  const clientCa = readPem('TLS_CLIENT_CA', paths.TLS_CLIENT_CA, problems);
  let listener: ListenerTls | undefined;
  if (cert !== undefined && key !== undefined && checkContext('TLS_CERT/TLS_KEY', { cert, key, ...(clientCa ? { ca: clientCa } : {}) }, problems)) {
    listener = { cert, key, ...(clientCa !== undefined ? { clientCa } : {}) };
  }

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
