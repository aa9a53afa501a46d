import { createCipheriv } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * Deterministic, incompressible bytes (like scanned PDFs): an AES-CTR keystream, produced on demand in
 * 1 MiB pieces, so benchmarks and large-capsule tests need no big buffers.
 */
export function incompressible(size: number, seed = 7): () => Readable {
  return () => {
    const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16, 0));
    const zeros = Buffer.alloc(1024 * 1024);
    let produced = 0;
    return new Readable({
      read() {
        if (produced >= size) return void this.push(null);
        const n = Math.min(zeros.length, size - produced);
        produced += n;
        this.push(cipher.update(zeros.subarray(0, n)));
      },
    });
  };
}
