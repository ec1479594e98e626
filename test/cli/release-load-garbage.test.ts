import t from 'tap';
import { releaseLoadGarbage } from '../../src/cli/release-load-garbage.js';

t.test('releaseLoadGarbage runs a full collection without putting gc on the global object', async (t) => {
  t.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'this test runs without --expose-gc');
  // Garbage a scavenge alone does not reclaim: old enough to have been promoted.
  let keep: string[] | null = Array.from({ length: 200_000 }, (_, i) => `interaction text ${i} `.repeat(8));
  for (let i = 0; i < 5; i++) Buffer.alloc(8 * 1024 * 1024).fill(1); // let young collections promote it
  const withGarbage = process.memoryUsage().heapUsed;
  keep = null;
  releaseLoadGarbage(100_000);
  const after = process.memoryUsage().heapUsed;
  t.equal(keep, null);
  t.ok(withGarbage - after > 20 * 1024 * 1024, `the dead strings are gone at once (${Math.round((withGarbage - after) / 1e6)} MB freed)`);
  t.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'and gc is still not global');
});
