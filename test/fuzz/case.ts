import { baseDraft, baseMultipart, multipartContentType, serialize, type Draft } from './draft';
import { capsuleMutators, envelopeMutators, type Mutator } from './mutate-xml';
import { byteMutators, httpMutators, multipartMutators } from './mutate-wire';
import { caseSeed, mulberry32, type Rng } from './prng';

/**
 * One fuzz case: a valid sendDocument request changed by one to three mutations, each from a family
 * (capsule, envelope, multipart, http, bytes) applied in the order the request is built, so that a
 * capsule mutation still travels in a well-formed envelope and multipart body unless another mutation
 * breaks those too.
 */

export const FAMILIES = ['capsule', 'envelope', 'multipart', 'http', 'bytes'] as const;
export type Family = (typeof FAMILIES)[number];

export interface FuzzCase {
  seed: number;
  index: number;
  /** `family.mutator(detail)`, in the order applied. */
  mutations: string[];
  bytes: Buffer;
  /** The client resets the connection after sending instead of waiting for an answer. */
  abort: boolean;
  /** The method as sent (a HEAD answer has no body). */
  method: string;
}

const FAMILY_WEIGHTS: ReadonlyArray<readonly [number, Family]> = [
  [4, 'capsule'],
  [3, 'envelope'],
  [4, 'multipart'],
  [4, 'http'],
  [1, 'bytes'],
];

const MUTATORS: Record<Exclude<Family, 'bytes'>, Record<string, Mutator>> = {
  capsule: capsuleMutators,
  envelope: envelopeMutators,
  multipart: multipartMutators,
  http: httpMutators,
};

/**
 * Mutators left out (FUZZ_SKIP, e.g. `multipart.disposition,http.abort`): while a finding is open, its
 * mutator would fail most runs and hide the rest. Skipping changes which cases a seed makes.
 */
const SKIP = new Set((process.env.FUZZ_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));

function pickMutations(r: Rng): Array<[Family, string]> {
  const n = r.weighted([
    [3, 0],
    [60, 1],
    [27, 2],
    [10, 3],
  ]);
  const out: Array<[Family, string]> = [];
  for (let i = 0; i < n; i++) {
    const family = r.weighted(FAMILY_WEIGHTS);
    const names = Object.keys(family === 'bytes' ? byteMutators : MUTATORS[family]).filter((n) => !SKIP.has(`${family}.${n}`));
    if (names.length) out.push([family, r.pick(names)]);
  }
  return out.sort((a, b) => FAMILIES.indexOf(a[0]) - FAMILIES.indexOf(b[0]));
}

export function makeCase(seed: number, index: number): FuzzCase {
  const r = mulberry32(caseSeed(seed, index));
  const d: Draft = baseDraft(r, `fz-${seed.toString(36)}-${index}`);
  const mutations: string[] = [];
  const chosen = pickMutations(r);
  const apply = (family: Family): void => {
    for (const [f, name] of chosen) {
      if (f !== family || f === 'bytes') continue;
      mutations.push(`${f}.${name}(${MUTATORS[f][name]!(r, d)})`);
    }
  };
  apply('capsule');
  apply('envelope');
  d.multipart = baseMultipart(d, r);
  apply('multipart');
  const ct = d.http.headers.find(([k]) => k === 'Content-Type');
  if (ct && ct[1] === '') ct[1] = multipartContentType(d.multipart);
  apply('http');
  let bytes = serialize(d);
  for (const [f, name] of chosen) {
    if (f !== 'bytes') continue;
    const [out, detail] = byteMutators[name]!(r, bytes);
    bytes = out;
    mutations.push(`bytes.${name}(${detail})`);
  }
  if (d.abort) {
    // Cut the upload somewhere in its body: the reset then comes while the server is still reading.
    const head = bytes.indexOf('\r\n\r\n');
    const at = head < 0 ? r.int(bytes.length) : head + 4 + r.int(Math.max(1, bytes.length - head - 4));
    bytes = bytes.subarray(0, at);
    mutations.push(`cut@${at}`);
  }
  return { seed, index, mutations, bytes, abort: d.abort, method: d.http.method };
}
