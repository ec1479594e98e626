import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareThroughput } from '../lib/compare.js';
import { expectAnswer, type Answer } from '../lib/load.js';
import { BASELINES, MOCKDECK_BIN } from '../lib/paths.js';
import { throughputEntry, type ResultEntry } from '../lib/results.js';
import { ServerProcess, stopAll } from '../lib/server-process.js';
import type { Settings } from '../lib/settings.js';

/** `mockdeck replay` with no flags: the embedded petstore spec and cassette, logging off. */
export const startDefaultMock = (name = 'mockdeck replay', extra: string[] = []): Promise<ServerProcess> =>
  ServerProcess.start(name, [MOCKDECK_BIN, 'replay', '--port', '0', ...extra]);

/** Headers Node and Fastify write on their own (framing, date, keep-alive): not part of what a route answers. */
const FRAMING = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

const routeHeaders = (answer: Answer): Record<string, string> =>
  Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !FRAMING.has(name)).map(([name, value]) => [name, String(value)]));

/**
 * Starts the bare Fastify baseline answering each path with exactly the bytes
 * mockdeck answered it with: the same body and the same headers (the
 * x-mockdeck-* provenance included), so both sides put the same bytes on the
 * wire and the client's share of the work is equal; what differs is mockdeck.
 */
export async function startBareWithSameBytes(s: Settings, file: string, answers: Record<string, Answer>): Promise<ServerProcess> {
  const routes: Record<string, { contentType: string; headers: Record<string, string>; body: string }> = {};
  for (const [path, answer] of Object.entries(answers)) {
    routes[path.split('?')[0] as string] = { contentType: String(answer.headers['content-type']), headers: routeHeaders(answer), body: answer.body.toString('utf8') };
  }
  const routesFile = join(s.scratch, file);
  await writeFile(routesFile, JSON.stringify(routes));
  const bare = await ServerProcess.start('bare-fastify', [BASELINES.fastify, routesFile]);
  for (const [path, answer] of Object.entries(answers)) {
    const same = await expectAnswer(bare.url + path, {});
    if (!same.body.equals(answer.body)) throw new Error(`the bare baseline answers ${path} with other bytes than mockdeck`);
    if (JSON.stringify(routeHeaders(same)) !== JSON.stringify(routeHeaders(answer))) throw new Error(`the bare baseline answers ${path} with other headers than mockdeck`);
  }
  return bare;
}

/** 1. Replay hit: GET /pets/1 from the cassette vs a bare Fastify route returning the same bytes. */
export async function replayHit(s: Settings): Promise<ResultEntry[]> {
  const path = '/pets/1';
  let mock: ServerProcess | undefined;
  let bare: ServerProcess | undefined;
  try {
    mock = await startDefaultMock();
    const answer = await expectAnswer(mock.url + path, { source: 'cassette' });
    bare = await startBareWithSameBytes(s, 'replay-hit-routes.json', { [path]: answer });
    const [mine, base] = await compareThroughput(s, [{ url: mock.url, paths: [path] }, { url: bare.url, paths: [path] }]);
    return [throughputEntry('replay hit', `GET ${path} replayed from the petstore cassette`, 'bare-fastify.js', mine!, base!, { atLeast: 0.85 })];
  } finally {
    await stopAll([mock, bare]);
  }
}
