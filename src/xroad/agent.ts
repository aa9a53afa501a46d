import https from 'node:https';
import type { Config } from '../config';

/**
 * The one connection pool for https: calls to our security server (sendDocument, representationList,
 * the global configuration download): keep-alive, our client certificate for X-Road's SSLAUTH between
 * the information system and its security server, and the security server's certificate or CA to trust
 * (XROAD_TLS_*; without a CA the system CAs). Built once per configuration, so every caller shares it.
 *
 * TLS 1.2 at most: there the security server judges our certificate inside the handshake, so a refused
 * certificate is known before a byte of the request leaves. Under TLS 1.3 the client writes its request
 * before that verdict, and a refusal can arrive as a reset after the request "left": a send that cannot
 * have arrived would look ambiguous and be resent on the retry schedule instead of failing clearly.
 */

const agents = new WeakMap<Config['xroad'], https.Agent>();

export function securityServerAgent(config: Pick<Config, 'xroad'>): https.Agent {
  let agent = agents.get(config.xroad);
  if (!agent) {
    const t = config.xroad.tls;
    agent = new https.Agent({
      keepAlive: true,
      maxVersion: 'TLSv1.2',
      // Idle sockets close before a security server's usual idle timeout, so a reused one is rarely cut under a request.
      timeout: 30_000,
      ...(t.cert !== undefined ? { cert: t.cert } : {}),
      ...(t.key !== undefined ? { key: t.key } : {}),
      ...(t.ca !== undefined ? { ca: t.ca } : {}),
    });
    agents.set(config.xroad, agent);
  }
  return agent;
}

/** Closes the pooled connections of this configuration's agent, if one was made (at shutdown). */
export function closeSecurityServerAgent(config: Pick<Config, 'xroad'>): void {
  agents.get(config.xroad)?.destroy();
}
