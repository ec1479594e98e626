/**
 * The GitHub REST spec (13 MB, OpenAPI 3.0.3, from @octokit/openapi) served
 * over a real socket. 50 operations picked across tags must answer with a
 * documented status and a body that validates against the operation's
 * response schema.
 *
 * Bodies are checked independently of mockdeck: our own Ajv2020 + ajv-formats
 * (support/independent-schema.ts), with the raw spec's schemas converted by a
 * small 3.0 → 2020-12 converter written for the tests, not the project's
 * bundleSchema.
 *
 * What mockdeck controls is asserted: generated bodies (`Prefer:
 * dynamic=true`, and the default pass where the spec has no example) must
 * validate. Example bodies are the spec author's: the default pass counts
 * those that break their own schema and reports them as a comment.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { createMock } from '../../src/index.js';
import { fromRoot } from '../helpers/paths.js';
import { SpecBodyChecker } from './support/independent-schema.js';
import { concretePath, documentedResponse, hasExample, isJson, mediaFor, operations, type RawOperation } from './support/raw-spec.js';

const GITHUB = fromRoot('node_modules/@octokit/openapi/generated/api.github.com.json');
const doc = JSON.parse(readFileSync(GITHUB, 'utf8')) as Record<string, any>;
const PICK = 50;

/**
 * Deterministic pick across tags: tags sorted, each tag's operations sorted by
 * path and method; round-robin over the tags, one operation per tag per round.
 * GET is preferred, but every fourth tag (by position, shifting each round)
 * contributes a non-GET when it has one, so writes are exercised too. An
 * operation listed under several tags is taken once. Nothing is excluded.
 */
function pick(all: RawOperation[], count: number): RawOperation[] {
  const byTag = new Map<string, RawOperation[]>();
  for (const ro of all) for (const tag of ro.tags.length ? ro.tags : ['(untagged)']) byTag.set(tag, [...(byTag.get(tag) ?? []), ro]);
  const tags = [...byTag.keys()].sort();
  const order = (a: RawOperation, b: RawOperation): number => (a.path === b.path ? a.method.localeCompare(b.method) : a.path < b.path ? -1 : 1);
  for (const list of byTag.values()) list.sort(order);
  const taken = new Set<string>();
  const picked: RawOperation[] = [];
  for (let round = 0; picked.length < count && round < 1000; round++) {
    let progressed = false;
    tags.forEach((tag, i) => {
      if (picked.length >= count) return;
      const left = (byTag.get(tag) ?? []).filter((ro) => !taken.has(ro.id));
      const wantWrite = (i + round) % 4 === 3;
      const next = left.find((ro) => (ro.method === 'GET') !== wantWrite) ?? left[0];
      if (!next) return;
      taken.add(next.id);
      picked.push(next);
      progressed = true;
    });
    if (!progressed) break;
  }
  return picked;
}

interface Answer {
  status: number;
  contentType: string | null;
  source: string | undefined;
  operation: string | undefined;
  text: string;
}

async function send(url: string, ro: RawOperation, prefer?: string): Promise<Answer> {
  const body = ro.op['requestBody'] ? mediaFor(ro.op['requestBody']['content'] ? ro.op['requestBody'] : {}, 'application/json') : undefined;
  const headers: Record<string, string> = { accept: 'application/json, */*;q=0.5' };
  if (prefer) headers['prefer'] = prefer;
  if (body) headers['content-type'] = 'application/json';
  const res = await request(url + concretePath(doc, ro), { method: ro.method as 'GET', headers, body: body ? '{}' : undefined });
  const text = await res.body.text();
  const one = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);
  return { status: res.statusCode, contentType: one(res.headers['content-type']) ?? null, source: one(res.headers['x-mockdeck-source']), operation: one(res.headers['x-mockdeck-operation']), text };
}

t.test('GitHub REST spec: 50 operations across tags answer as documented, bodies valid', async (t) => {
  const started = performance.now();
  const mock = await createMock({ spec: GITHUB, port: 0, cassettesDir: t.testdir({}) });
  const url = await mock.listen();
  t.teardown(() => mock.close());
  t.comment(`GitHub spec loaded and listening in ${Math.round(performance.now() - started)} ms (${mock.runtime.state.spec.operations.length} operations)`);

  const all = operations(doc);
  const picked = pick(all, PICK);
  const tagsCovered = new Set(picked.map((ro) => ro.tags[0]));
  t.equal(picked.length, PICK, `${PICK} operations picked`);
  t.ok(tagsCovered.size >= 40, `picked across ${tagsCovered.size} tags`);
  t.ok(picked.some((ro) => ro.method !== 'GET'), `non-GET operations included: ${picked.filter((ro) => ro.method !== 'GET').map((ro) => ro.method).join(', ')}`);
  t.same(picked.map((ro) => ro.id), pick(operations(doc), PICK).map((ro) => ro.id), 'the pick is deterministic');

  const checker = new SpecBodyChecker(doc);
  const counts = { examples: 0, exampleInvalid: 0, generated: 0, nonJson: 0, empty: 0 };
  const invalidExamples: string[] = [];

  for (const [pass, prefer] of [['default', undefined], ['dynamic', 'dynamic=true']] as const) {
    const problems: string[] = [];
    for (const ro of picked) {
      const a = await send(url, ro, prefer);
      const response = documentedResponse(doc, ro, a.status);
      if (!response) {
        problems.push(`${ro.id}: status ${a.status} is not documented (${Object.keys(ro.op['responses']).join(', ')}): ${a.text.slice(0, 200)}`);
        continue;
      }
      if (a.source !== 'spec' || a.operation !== ro.id) problems.push(`${ro.id}: answered by ${a.source} as ${a.operation}`);
      if (a.text === '') {
        if (pass === 'default') counts.empty++;
        // An empty text body can be a valid string; a JSON one never is (mockdeck writes `""` for an empty string).
        if (isJson(a.contentType)) problems.push(`${ro.id}: empty body for a ${a.status} ${a.contentType} answer`);
        continue;
      }
      const media = mediaFor(response, a.contentType);
      if (!media) {
        problems.push(`${ro.id}: content-type ${a.contentType} is not documented for ${a.status}`);
        continue;
      }
      if (!isJson(a.contentType) || !media['schema']) {
        if (pass === 'default') counts.nonJson++;
        continue;
      }
      let body: unknown;
      try {
        body = JSON.parse(a.text);
      } catch {
        problems.push(`${ro.id}: ${a.contentType} body does not parse: ${a.text.slice(0, 100)}`);
        continue;
      }
      const errors = checker.check(media['schema'], body);
      const fromExample = pass === 'default' && hasExample(doc, media);
      if (fromExample) {
        counts.examples++;
        if (errors.length > 0) {
          counts.exampleInvalid++;
          invalidExamples.push(`${ro.id} ${a.status}: ${errors.slice(0, 2).join('; ')}`);
        }
      } else {
        if (pass === 'dynamic') counts.generated++;
        if (errors.length > 0) problems.push(`${ro.id} ${a.status} (generated, ${pass}): ${errors.slice(0, 3).join('; ')}`);
      }
    }
    t.same(problems, [], `${pass} pass: every answer documented, every generated body valid`);
  }
  t.ok(counts.generated >= 30, `dynamic pass generated and validated ${counts.generated} JSON bodies`);
  t.comment(`default pass: ${counts.examples} example bodies, ${counts.exampleInvalid} of them break the spec's own schema; ${counts.nonJson} non-JSON, ${counts.empty} empty`);
  for (const line of invalidExamples) t.comment(`  spec example does not validate: ${line}`);

  const after = await request(`${url}/repos/octo/hello/issues/7`);
  t.equal(after.statusCode, 200, 'still answering afterwards');
  await after.body.dump();
});
