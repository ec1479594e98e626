/**
 * Start does only the cheap work (parse, check every $ref, index operations);
 * what is deferred to the first request must not change what is found at
 * start. Guards the fast paths of spec loading against the plain ones.
 */
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMockdeckError, loadSpec } from '../../src/index.js';
import { fromRoot } from '../helpers/paths.js';

const GITHUB = fromRoot('node_modules/@octokit/openapi/generated/api.github.com.json');

t.test('the GitHub spec (non-ASCII text, one-byte parse) loads exactly as JSON.parse of its UTF-8 text', async (t) => {
  const spec = await loadSpec(GITHUB);
  const plain = JSON.parse(readFileSync(GITHUB, 'utf8')) as unknown;
  t.ok(JSON.stringify(spec.doc) === JSON.stringify(plain), 'same document, character for character');
  t.ok(spec.operations.length > 1000, `${spec.operations.length} operations indexed`);
});

t.test('the GitHub spec: resolving an operation happens on first use and is memoized', async (t) => {
  const spec = await loadSpec(GITHUB);
  const op = spec.operationById('repos/get');
  if (!op) throw new Error('no repos/get');
  const first = spec.resolve(op);
  t.equal(spec.resolve(op), first, 'the second call returns the same resolved operation');
  t.ok(first.responses.some((r) => r.status === '200'), 'documented 200');
});

t.test('a JSON spec with non-ASCII text still fails at start: broken $ref with its pointer, syntax error with line and column', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mockdeck-lazy-start-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const spec = (schemaRef: string) => ({
    openapi: '3.0.3',
    info: { title: 'Tierheim – Zürich 🐶', version: '1' },
    paths: { '/tiere': { get: { summary: 'Alle Tiere (größte zuerst)', responses: { 200: { description: 'OK', content: { 'application/json': { schema: { $ref: schemaRef } } } } } } } },
    components: { schemas: { Tier: { type: 'object', properties: { name: { type: 'string', example: 'Bärli' } } } } },
  });
  const good = join(dir, 'good.json');
  await writeFile(good, JSON.stringify(spec('#/components/schemas/Tier'), null, 2));
  const loaded = await loadSpec(good);
  t.equal(loaded.info.title, 'Tierheim – Zürich 🐶', 'non-ASCII text survives');

  const brokenRef = join(dir, 'broken-ref.json');
  await writeFile(brokenRef, JSON.stringify(spec('#/components/schemas/Tiere'), null, 2));
  const refErr = await loadSpec(brokenRef).then(() => null, (e: unknown) => e);
  t.ok(isMockdeckError(refErr) && refErr.code === 'MOCKDECK_ERR_SPEC_REF', 'SPEC_REF at start');
  t.match((refErr as Error).message, /broken-ref\.json#\/paths\/~1tiere\/get\/responses\/200\/content\/application~1json\/schema\/\$ref: \$ref "#\/components\/schemas\/Tiere" does not resolve/);

  const badSyntax = join(dir, 'bad-syntax.json');
  await writeFile(badSyntax, '{\n  "openapi": "3.0.3",\n  "info": { "title": "Zürich", "version": "1" },\n  "paths": { , }\n}\n');
  const parseErr = await loadSpec(badSyntax).then(() => null, (e: unknown) => e);
  t.ok(isMockdeckError(parseErr) && parseErr.code === 'MOCKDECK_ERR_SPEC_PARSE', 'SPEC_PARSE at start');
  t.match((parseErr as Error).message, /bad-syntax\.json:4:\d+/, 'line of the file as written');
});
