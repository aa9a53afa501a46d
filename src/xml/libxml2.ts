import type * as Libxml2 from 'libxml2-wasm' with { 'resolution-mode': 'import' };

/**
 * libxml2 (libxml2-wasm), loaded once per process. The module is ESM-only with top-level await, so it is
 * loaded with a real dynamic import; synchronous readers (src/xroad/xml.ts) use it once it is there.
 */
export type Libxml2Lib = typeof Libxml2;

let libPromise: Promise<Libxml2Lib> | undefined;
let loaded: Libxml2Lib | undefined;

export function loadLibxml2(): Promise<Libxml2Lib> {
  libPromise ??= import('libxml2-wasm').then((lib) => (loaded = lib));
  return libPromise;
}

/** The library when it has been loaded (by the capsule schema, at the daemon's start), else undefined. */
export function loadedLibxml2(): Libxml2Lib | undefined {
  return loaded;
}

/** No network access and no external entities, whatever the document asks for. */
export const SAFE_PARSE_OPTIONS = 2048 /* NONET */ | 8388608; /* NO_XXE */
