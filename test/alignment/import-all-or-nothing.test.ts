import t from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { importIntoCassette, type ReadResult } from '../../src/alignment/index.js';
import { isMockdeckError } from '../../src/errors.js';
import { exchange, snapshot } from './helpers.js';

// Two operationIds that differ only in case: one file on macOS and Windows, so the store refuses the pair.
const CLASH_SPEC = `openapi: 3.0.3
info: { title: Clash, version: '1' }
paths:
  /a: { get: { operationId: getPet, responses: { '200': { description: ok } } } }
  /b: { get: { operationId: GetPet, responses: { '200': { description: ok } } } }
`;

const read = (...paths: string[]): ReadResult => ({
  exchanges: paths.map((path, n) => ({ where: `log.entries[${n}]`, exchange: exchange({ path, json: { n } }) })),
  skipped: [],
  warnings: [],
  origins: [],
});

t.test('a file-name clash leaves no folder for a new cassette (regression: the store created it before checking)', async (t) => {
  const root = t.testdir({ 'clash.yaml': CLASH_SPEC });
  const cassettesDir = join(root, 'cassettes');
  const err = await importIntoCassette(read('/a', '/b'), { cassettesDir, cassette: 'fresh', spec: join(root, 'clash.yaml') }).then(() => undefined, (e: unknown) => e);
  t.ok(isMockdeckError(err, 'MOCKDECK_ERR_CASSETTE_WRITE'), 'CASSETTE_WRITE');
  t.match((err as Error).message, /"GetPet" and "getPet" would share this file on case-insensitive file systems/);
  t.notOk(existsSync(cassettesDir), 'neither the cassettes folder nor the cassette folder was created');
});

t.test('a file-name clash with an existing cassette leaves it byte-identical', async (t) => {
  const root = t.testdir({ 'clash.yaml': CLASH_SPEC });
  const cassettesDir = join(root, 'cassettes');
  const options = { cassettesDir, cassette: 'kept', spec: join(root, 'clash.yaml') };
  await importIntoCassette(read('/a'), options);
  const before = await snapshot(cassettesDir);
  for (const paths of [['/b'], ['/a', '/b']]) {
    const err = await importIntoCassette(read(...paths), options).then(() => undefined, (e: unknown) => e);
    t.ok(isMockdeckError(err, 'MOCKDECK_ERR_CASSETTE_WRITE'), `${paths.join(' + ')}: CASSETTE_WRITE`);
    t.same(await snapshot(cassettesDir), before, `${paths.join(' + ')}: cassette bytes unchanged`);
  }
});
