// Regression: a ratio of 0.8496 against ≥ 0.85 was reported as 0.85 with met
// false, so results.json contradicted itself at the boundary.
import t from 'tap';
import { memoryEntry, throughputEntry, timeEntry } from '../../bench/lib/results.js';

const load = (rps: number) => [{ rps, p50Ms: 1, p99Ms: 2 }];

t.test('the reported ratio and met always agree, at the boundary too', async (t) => {
  const rows: Array<[string, ReturnType<typeof throughputEntry>, number, boolean]> = [
    ['throughput just under', throughputEntry('s', 'w', 'b', load(8496), load(10000), { atLeast: 0.85 }), 0.849, false],
    ['throughput just over', throughputEntry('s', 'w', 'b', load(8501), load(10000), { atLeast: 0.85 }), 0.85, true],
    ['time just over', timeEntry('s', 'w', 'b', [25001], [10000], { atMost: 2.5 }), 2.501, false],
    ['time at the limit', timeEntry('s', 'w', 'b', [2500], [1000], { atMost: 2.5 }), 2.5, true],
    ['memory just over', memoryEntry('s', 'w', [300.5], 300), 1.002, false],
    ['memory under', memoryEntry('s', 'w', [289], 300), 0.964, true],
    // Once seen: a median of 132.4 MB was shown as 0.45 (two decimals, ceiled) beside a figure of 132, off by the smoke test's whole tolerance.
    ['memory, three decimals', memoryEntry('s', 'w', [132.4], 300), 0.442, true],
    // Float noise: 1.001 * 1000 is 1000.9999999999999.
    ['throughput, float noise', throughputEntry('s', 'w', 'b', load(10010), load(10000), { atLeast: 0.5 }), 1.001, true],
  ];
  for (const [what, entry, ratio, met] of rows) {
    t.equal(entry.ratio, ratio, `${what}: ratio ${ratio}`);
    t.equal(entry.met, met, `${what}: met ${met}`);
  }
  t.equal(throughputEntry('s', 'w', 'b', load(4321), load(10000), null).ratio, 0.432, 'information rows round to nearest');
});
