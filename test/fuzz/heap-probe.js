// Preloaded into the fuzzed daemon (node --expose-gc --require test/fuzz/heap-probe.js): on SIGUSR2 it
// collects garbage and writes process.memoryUsage() as JSON to FUZZ_HEAP_PROBE, so memory is judged by
// what the process still holds rather than by RSS, which keeps the allocator's high-water mark of large
// request bodies. Not part of the product: only test/fuzz/daemon.ts loads it.
const fs = require('node:fs');

const out = process.env.FUZZ_HEAP_PROBE;
if (out && typeof globalThis.gc === 'function') {
  const gc = globalThis.gc;
  process.on('SIGUSR2', () => {
    // Twice: the first full collection may leave objects whose finalizers free more.
    gc();
    gc();
    const m = process.memoryUsage();
    fs.writeFileSync(`${out}.tmp`, JSON.stringify({ ...m, at: Date.now() }));
    fs.renameSync(`${out}.tmp`, out);
  });
}
