import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminQueues } from './actions';

/**
 * bull-board (its UI and API, served from the package: nothing from a CDN) for the dashboard's *Queues*,
 * under /admin/queues and behind the dashboard's protection (index.ts). Read-only: retrying or removing
 * jobs there would bypass the audited operator actions, so its buttons are off and index.ts refuses its
 * writing methods. Its Express app serves only this path; the rest of the edge stays plain node:http.
 * Loaded on the first request (about 0.3 s and 16 MB that a daemon nobody looks at need not pay;
 * docs/packages.md).
 */

export const QUEUES_PATH = '/admin/queues';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

async function loadBoard(queues: AdminQueues): Promise<NodeHandler> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUES_PATH);
  const list = [queues.intake, queues.send].filter((q) => q !== undefined).map((q) => new BullMQAdapter(q, { readOnlyMode: true }));
  createBullBoard({ queues: list, serverAdapter: adapter, options: { uiConfig: { boardTitle: 'dhx-adapter queues' } } });
  const app = adapter.getRouter() as NodeHandler & { engines?: Record<string, Engine> };
  // Its page template links a web font from a CDN: the link is taken out (and the CSP of index.ts
  // forbids it anyway), so the page uses a system font and the browser asks nobody else for anything.
  const render = app.engines?.['.ejs'];
  if (!render) throw new Error('bull-board: its page renderer was not found; check the version (docs/packages.md)');
  app.engines!['.ejs'] = (file, options, done) => render(file, options, (err, out) => done(err, out?.replace(CDN_LINK, '')));
  return app;
}

type Engine = (file: string, options: object, done: (err: Error | null, out?: string) => void) => void;
const CDN_LINK = /<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*>/g;

export function makeQueuesBoard(queues: AdminQueues): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let board: Promise<NodeHandler> | undefined;
  return async (req, res) => {
    board ??= loadBoard(queues);
    const app = await board.catch((err: unknown) => {
      board = undefined;
      throw err;
    });
    await new Promise<void>((resolve, reject) => {
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
  };
}
