import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { readCapsule, type ReadOptions, type ReadResult } from './read';
import type { DecodedFile } from './content';

/**
 * Extracts a capsule's files into a folder: each file is streamed to a temporary name and renamed to its
 * sanitised name only when the whole capsule is valid and the file decoded; otherwise nothing is left
 * behind. Files are created 0600 and the folder 0700, since every document concerns a child.
 */

export interface ExtractedFile extends DecodedFile {
  /** Where the file was written (absent when it could not be decoded). */
  path?: string;
  declaredFileSize?: number;
  declaredMimeType: string;
  recordMainComponent?: boolean;
}

export interface ExtractResult extends Omit<ReadResult, 'files'> {
  files: ExtractedFile[];
}

/** Picks `name`, or `name (2).ext`, ... so that two files of the same name do not overwrite each other. */
function uniqueName(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const base = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base} (${n})${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

export async function extractCapsule(
  source: Readable | string,
  outDir: string,
  options: Omit<ReadOptions, 'sink' | 'decode'> = {},
): Promise<ExtractResult> {
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const temps = new Map<number, { path: string; stream: fs.WriteStream }>();
  const result = await readCapsule(source, {
    ...options,
    sink: ({ index }) => {
      const tmp = path.join(outDir, `.part-${process.pid}-${index}`);
      const stream = fs.createWriteStream(tmp, { mode: 0o600, highWaterMark: 1024 * 1024 });
      temps.set(index, { path: tmp, stream });
      return stream;
    },
  });
  // A stream destroyed early may still be opening its file: wait until every one is closed.
  // (An aborted stream may also emit 'error' for writes in flight; the decoder has already recorded why.)
  await Promise.all(
    [...temps.values()].map(({ stream }) => (stream.closed ? undefined : new Promise<void>((resolve) => stream.once('close', () => resolve())))),
  );
  const taken = new Set(fs.readdirSync(outDir).map((n) => n.toLowerCase()));
  const files: ExtractedFile[] = [];
  const metas = result.capsule?.files ?? [];
  for (const f of result.files) {
    const tmp = temps.get(f.index)?.path;
    const meta = metas[f.index - 1];
    const entry: ExtractedFile = {
      ...f,
      declaredMimeType: meta?.mimeType ?? '',
      ...(meta?.fileSize !== undefined ? { declaredFileSize: meta.fileSize } : {}),
      ...(meta?.recordMainComponent !== undefined ? { recordMainComponent: meta.recordMainComponent } : {}),
    };
    if (result.valid && !f.error && tmp) {
      const target = path.join(outDir, uniqueName(f.safeName, taken));
      fs.renameSync(tmp, target);
      entry.path = target;
    }
    files.push(entry);
  }
  for (const { path: tmp } of temps.values()) fs.rmSync(tmp, { force: true });
  return { ...result, files };
}
