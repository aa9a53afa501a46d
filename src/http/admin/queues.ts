import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { AdminQueues } from './actions';

/**
 * bull-board (its UI and API, served from the package: nothing from a CDN) for the dashboard's *Queues*,
 * under /admin/queues and behind the dashboard's protection (index.ts). Read-only: retrying or removing
 * jobs there would bypass the audited operator actions, so its buttons are off and index.ts refuses its
 * writing methods. Its Express app serves only this path; the rest of the edge stays plain node:http
 * (docs/packages.md).
 */

export const QUEUES_PATH = '/admin/queues';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export function makeQueuesBoard(queues: AdminQueues): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUES_PATH);
  const list = [queues.intake, queues.send].filter((q) => q !== undefined).map((q) => new BullMQAdapter(q, { readOnlyMode: true }));
  createBullBoard({ queues: list, serverAdapter: adapter, options: { uiConfig: { boardTitle: 'dhx-adapter queues' } } });
  const app = adapter.getRouter() as NodeHandler;
  return (req, res) =>
    new Promise<void>((resolve, reject) => {
      // As if mounted at QUEUES_PATH: the board's routes are relative to it.
      const url = new URL(req.url ?? '/', 'http://localhost');
      req.url = (url.pathname.slice(QUEUES_PATH.length) || '/') + url.search;
      res.once('finish', () => resolve());
      res.once('close', () => resolve());
      app(req, res, (err?: unknown) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else if (!res.headersSent) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
          resolve();
        }
      });
    });
}
