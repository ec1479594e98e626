import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareThroughput } from '../lib/compare.js';
import { expectAnswer } from '../lib/load.js';
import { BASELINES, MOCKDECK_BIN, UPSTREAM_SPEC } from '../lib/paths.js';
import { throughputEntry, type ResultEntry } from '../lib/results.js';
import { ServerProcess, stopAll } from '../lib/server-process.js';
import type { Settings } from '../lib/settings.js';

// `/large` answers the same bytes every time, as an API often does for one
// resource; `/large-varied` changes them every time, so each one is parsed and
// checked anew (information only: it shows what a body seen for the first time costs).
// `disk`: also measure the bare proxy writing each body durably (see
// bare-proxy.js): the 1 MB answers get a part file each in mockdeck too, so
// that is the ceiling this disk sets for any recorder of them.
const BODIES = [
  { figure: 'small JSON', path: '/small', target: 0.6, disk: false },
  { figure: '1 MB JSON', path: '/large', target: 0.8, disk: true },
  { figure: '1 MB JSON, a new body each time', path: '/large-varied', target: null, disk: false },
] as const;

/**
 * 4. Record proxy: `mockdeck record` (recording every request into a cassette)
 * vs the bare pass-through proxy, both in front of the same upstream; and both
 * vs going direct, for information. Every request carries a fresh `?n=`, so
 * each one is new to mockdeck and gets forwarded and recorded. For 1 MB
 * bodies, the bare proxy writing each body durably is a fourth side
 * (information): what the disk alone takes.
 */
export async function recordProxy(s: Settings): Promise<ResultEntry[]> {
  const entries: ResultEntry[] = [];
  for (const body of BODIES) {
    let upstream: ServerProcess | undefined;
    let recorder: ServerProcess | undefined;
    let proxy: ServerProcess | undefined;
    let writer: ServerProcess | undefined;
    const cassettes = join(s.scratch, `record-${body.path.slice(1)}`);
    const bodiesWritten = join(s.scratch, `bare-writes-${body.path.slice(1)}`);
    try {
      upstream = await ServerProcess.start('upstream', [BASELINES.upstream]);
      [recorder, proxy, writer] = await Promise.all([
        ServerProcess.start('mockdeck record', [MOCKDECK_BIN, 'record', '--target', upstream.url, '--spec', UPSTREAM_SPEC, '--cassettes', cassettes, '--cassette', 'bench', '--port', '0']),
        ServerProcess.start('bare-proxy', [BASELINES.proxy, upstream.url]),
        body.disk ? ServerProcess.start('bare-proxy writing', [BASELINES.proxy, upstream.url, bodiesWritten]) : undefined,
      ]);
      let n = 0;
      const paths = (): string => `${body.path}?n=${n++}`;
      // One request, new to the recorder, asked directly and through each proxy: the same bytes must come back.
      const probe = paths();
      const direct = await expectAnswer(upstream.url + probe, {});
      for (const via of [recorder, proxy, ...(writer ? [writer] : [])]) {
        const answer = await expectAnswer(via.url + probe, via === recorder ? { source: 'proxy' } : {});
        if (!answer.body.equals(direct.body)) throw new Error(`${via.name} changed the bytes of ${body.path}`);
      }
      // An information row is not compared with going direct: that comparison is already made for the same sizes.
      const sides = body.target === null ? [recorder, proxy] : [recorder, proxy, upstream, ...(writer ? [writer] : [])];
      const [rec, bare, straight, writing] = await compareThroughput(s, sides.map((server) => ({ url: server.url, paths })));
      const scenario = `record proxy (${body.figure})`;
      const what = `GET ${body.path}?n=<new>: forwarded and recorded${body.target === null ? ' (info)' : ''}`;
      entries.push(throughputEntry(scenario, what, 'bare-proxy.js', rec!, bare!, body.target === null ? null : { atLeast: body.target }));
      if (straight) {
        entries.push(
          throughputEntry(scenario, 'mockdeck record vs going direct (info)', 'upstream.js direct', rec!, straight, null),
          throughputEntry(scenario, 'bare proxy vs going direct (info)', 'upstream.js direct', bare!, straight, null),
        );
      }
      if (writing) {
        entries.push(
          throughputEntry(scenario, "bare proxy writing each body durably vs the bare proxy (info: this disk's ceiling for any recorder)", 'bare-proxy.js', writing, bare!, null),
          throughputEntry(scenario, 'mockdeck record vs the bare proxy writing each body durably (info)', 'bare-proxy.js <folder>', rec!, writing, null),
        );
      }
      await recorder.stop(120_000); // flushes the cassette
      const recorded = await countRecorded(join(cassettes, 'bench'));
      if (recorded === 0) throw new Error(`mockdeck record wrote no interaction into ${cassettes}`);
      s.log(`  record proxy (${body.figure}): ${recorded} interactions on disk`);
      if (writer) {
        await writer.stop();
        const kept = (await readdir(bodiesWritten)).filter((f) => f.endsWith('.json')).length;
        if (kept === 0) throw new Error('the bare proxy writing bodies wrote none');
        s.log(`  record proxy (${body.figure}): ${kept} bodies written by the bare proxy`);
      }
    } finally {
      await stopAll([recorder, proxy, writer, upstream]);
    }
  }
  return entries;
}

/**
 * Interactions in the cassette's files, counted by the line each one starts
 * its `recordedAt` on (six spaces in, where only an interaction's own keys
 * stand): parsing the gigabytes a 1 MB round writes would take longer than
 * the round.
 */
async function countRecorded(dir: string): Promise<number> {
  const marker = Buffer.from('\n      "recordedAt": ');
  let n = 0;
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.json') || file === 'cassette.json') continue;
    const bytes = await readFile(join(dir, file));
    for (let at = bytes.indexOf(marker); at !== -1; at = bytes.indexOf(marker, at + marker.length)) n++;
  }
  return n;
}
