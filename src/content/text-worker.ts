import { parentPort } from 'node:worker_threads';
import { TextReadError } from './errors';
import { parseText } from './parse';
import type { TextRequest, TextResponse } from './text';

/**
 * A text worker thread (text.ts starts it): reads one document at a time and answers with its text or why
 * not. Its event loop is its own; the pool terminates it when a document takes longer than its time.
 */
parentPort?.on('message', (req: TextRequest) => {
  void (async () => {
    let res: TextResponse;
    try {
      const parsed = await parseText(req.bytes, req.format, req.maxChars, req.maxPartBytes);
      res = { id: req.id, ok: true, ...parsed };
    } catch (err) {
      const e = err as Error;
      res = e instanceof TextReadError ? { id: req.id, ok: false, code: e.code, message: e.message } : { id: req.id, ok: false, code: 'TEXT_MALFORMED', message: `${e.name}: ${e.message}` };
    }
    parentPort!.postMessage(res);
  })();
});
