import https from 'node:https';
import type { Config } from '../config';

/**
 * The one connection pool for https: calls to our security server (sendDocument, representationList,
 * the global configuration download): keep-alive, our client certificate for X-Road's SSLAUTH between
 * the information system and its security server, and the security server's certificate or CA to trust
 * (XROAD_TLS_*; without a CA the system CAs). Built once per configuration, so every caller shares it.
 */

const agents = new WeakMap<Config['xroad'], https.Agent>();

export function securityServerAgent(config: Pick<Config, 'xroad'>): https.Agent {
  let agent = agents.get(config.xroad);
  if (!agent) {
    const t = config.xroad.tls;
    agent = new https.Agent({
      keepAlive: true,
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
