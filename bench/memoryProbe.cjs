// Preloaded into both backends bench/api.mjs measures (with --expose-gc): on SIGUSR2, two full
// garbage collections, then the process's memory written to MESHSTAGE_BENCH_MEMORY_FILE. RSS
// sampled at an arbitrary moment mostly measures garbage V8 has not collected yet (a backend's
// heap grows to several times what it keeps before a full collection); after a collection it is
// what the process needs.
const { writeFileSync } = require('node:fs');

const file = process.env.MESHSTAGE_BENCH_MEMORY_FILE;
if (file && typeof global.gc === 'function') {
  process.on('SIGUSR2', () => {
    global.gc();
    global.gc();
    // After the collection's freed pages are handed back (the memory reducer runs on a timer).
    setTimeout(() => {
      const m = process.memoryUsage();
      writeFileSync(
        file,
        JSON.stringify({
          at: Date.now(),
          rss: m.rss,
          heapUsed: m.heapUsed,
          heapTotal: m.heapTotal,
          external: m.external,
          arrayBuffers: m.arrayBuffers,
        }),
      );
    }, 1000);
  });
}
