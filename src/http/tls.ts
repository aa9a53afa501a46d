import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';
import type { ListenerTls } from '../config/tls';

/**
 * The listening server, HTTP or HTTPS. With TLS_CERT and TLS_KEY the port speaks HTTPS only; with
 * TLS_CLIENT_CA the handshake also demands a client certificate signed by that CA (the security
 * server's, X-Road SSLAUTH): a client without one is refused during the handshake and never reaches a
 * handler. Used by the adapter's server and by the X-Road simulator.
 */
export function createListener(
  tls: ListenerTls | undefined,
  handler: http.RequestListener,
  log?: Logger,
  options: http.ServerOptions = {},
): http.Server {
  if (!tls) return http.createServer(options, handler);
  const server = https.createServer(
    {
      ...options,
      cert: tls.cert,
      key: tls.key,
      ...(tls.clientCa !== undefined ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
    },
    handler,
  );
  // A refused handshake is worth a line: a misconfigured security server looks exactly like this.
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket) => {
    log?.warn({ client: socket.remoteAddress, err: err.code ?? err.message }, 'TLS handshake refused');
  });
  return server;
}

