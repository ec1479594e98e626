import t from 'tap';
import { parseCassetteJson, serializeCassetteMeta, serializeOperationFile } from '../../src/cassette/index.js';
import { isMockdeckError } from '../../src/errors.js';
import { makeInteraction, thrown } from './fixtures.js';

t.test('file structure has sorted keys; JSON bodies keep upstream order', async (t) => {
  const base = makeInteraction();
  const interaction = makeInteraction({
    request: { ...base.request, headers: { 'x-b': '1', accept: 'a' }, body: { zeta: 1, alpha: { z: 0, a: 1 } }, bodyEncoding: 'json' },
    response: { ...base.response, body: { name: 'Rex', id: 7, tags: [{ z: 1, a: 2 }] }, bodyEncoding: 'json' },
  });
  const text = serializeOperationFile({ operationId: 'getPetById', interactions: [interaction] });
  const expected = `{
  "interactions": [
    {
      "alignment": {
        "findings": [],
        "ok": true
      },
      "durationMs": 42,
      "id": "${interaction.id}",
      "operationId": "getPetById",
      "recordedAt": "${interaction.recordedAt}",
      "request": {
        "body": {
          "zeta": 1,
          "alpha": {
            "z": 0,
            "a": 1
          }
        },
        "bodyEncoding": "json",
        "headers": {
          "accept": "a",
          "x-b": "1"
        },
        "method": "GET",
        "path": "/pets/7",
        "pathParams": {
          "petId": "7"
        },
        "query": {
          "verbose": [
            "1"
          ]
        }
      },
      "response": {
        "body": {
          "name": "Rex",
          "id": 7,
          "tags": [
            {
              "z": 1,
              "a": 2
            }
          ]
        },
        "bodyEncoding": "json",
        "headers": {
          "content-type": "application/json"
        },
        "status": 200
      }
    }
  ],
  "operationId": "getPetById"
}
`;
  t.equal(text, expected);
  t.strictSame(JSON.parse(text).interactions[0], interaction, 'parses back to the same interaction');
});

t.test('serializing is deterministic whatever the input key order', async (t) => {
  const a = makeInteraction({ id: 'same', recordedAt: '2026-01-01T00:00:00.000Z' });
  const { alignment, response, request, ...rest } = a;
  const shuffled = { response, alignment, ...rest, request: { ...request, headers: { b: '2', a: '1' } } };
  const sorted = { ...a, request: { ...request, headers: { a: '1', b: '2' } } };
  t.equal(serializeOperationFile({ operationId: 'x', interactions: [shuffled] }), serializeOperationFile({ operationId: 'x', interactions: [sorted] }));
});

t.test('a body key named __proto__ survives as data', async (t) => {
  const body = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as object;
  const base = makeInteraction();
  const text = serializeOperationFile({ operationId: null, interactions: [makeInteraction({ response: { ...base.response, body } })] });
  t.match(text, /"__proto__": \{\n\s+"polluted": true/);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test('meta has sorted keys, two-space indent and a final newline', async (t) => {
  const text = serializeCassetteMeta({
    updatedAt: '2026-01-02T00:00:00.000Z',
    target: 'https://staging.example.com',
    spec: { version: '1.0.0', title: 'Petstore', sha256: 'a'.repeat(64) },
    name: 'petstore',
    formatVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  t.equal(
    text,
    `{\n  "createdAt": "2026-01-01T00:00:00.000Z",\n  "formatVersion": 1,\n  "name": "petstore",\n  "spec": {\n    "sha256": "${'a'.repeat(64)}",\n    "title": "Petstore",\n    "version": "1.0.0"\n  },\n  "target": "https://staging.example.com",\n  "updatedAt": "2026-01-02T00:00:00.000Z"\n}\n`,
  );
});

t.test('parse errors name file, line and column', async (t) => {
  const table: Array<[string, string, number, number, RegExp]> = [
    // name, text, line, column, reason
    ['trailing comma', '{\n  "a": 1,\n}', 3, 1, /trailing comma/],
    ['missing value', '{"a":}', 1, 6, /expected a value/],
    ['bare word', '{\n  "a": yes\n}', 2, 8, /expected a value/],
    ['missing comma', '[\n  1\n  2\n]', 3, 3, /expected ',' or ']'/],
    ['unterminated string', '{\n"a": "abc', 2, 6, /unterminated string/],
    ['raw newline in string', '{"a": "x\ny"}', 1, 9, /control character/],
    ['empty file', '', 1, 1, /unexpected end of input/],
    ['truncated', '{\n  "a": [1, 2', 2, 13, /unexpected end of input/],
    ['junk after value', '{}\n}', 2, 1, /after the JSON value/],
    ['single quotes', "{'a': 1}", 1, 2, /double-quoted property name/],
    ['bad escape', '["\\x"]', 1, 3, /invalid escape/],
    ['CRLF line endings', '{\r\n  "a": 1,\r\n  "b": \r\n}', 4, 1, /expected a value/],
  ];
  for (const [name, text, line, column, reason] of table) {
    const err = thrown(() => parseCassetteJson(text, 'cassettes/x/op.json'));
    t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_PARSE', name);
    t.strictSame([err.params.file, err.params.line, err.params.column], ['cassettes/x/op.json', line, column], `${name}: position`);
    t.match(String(err.params.reason), reason, `${name}: reason`);
    t.match(err.message, `cassettes/x/op.json:${line}:${column}:`, `${name}: message`);
    t.ok(err.cause instanceof SyntaxError, `${name}: parser error kept as cause`);
  }
});

t.test('valid JSON parses, with or without a BOM', async (t) => {
  t.strictSame(parseCassetteJson('{"a":[1,{"b":null}]}', 'f'), { a: [1, { b: null }] });
  t.strictSame(parseCassetteJson('\ufeff{"a":1}', 'f'), { a: 1 });
  t.ok(isMockdeckError(thrown(() => parseCassetteJson('{"a":1', 'f')), 'MOCKDECK_ERR_CASSETTE_PARSE'));
});

t.test('a JSON response body of 64 KiB or more is written on one line, the rest of the entry indented', async (t) => {
  const base = makeInteraction();
  const big = Array.from({ length: 3000 }, (_, i) => ({ name: `pet-${i}`, id: i, note: 'x'.repeat(20) }));
  const interaction = makeInteraction({ response: { ...base.response, headers: { 'content-type': 'application/json', 'x-z': 'last' }, body: big, bodyEncoding: 'json' } });
  const text = serializeOperationFile({ operationId: 'getPetById', interactions: [interaction] });
  const bodyLine = text.split('\n').find((line) => line.includes('"pet-0"'));
  t.ok(bodyLine, 'the body is in the file');
  t.equal(bodyLine, `        "body": ${JSON.stringify(big)},`, 'one line, compact, upstream key order kept');
  t.match(text, /\n {8}"bodyEncoding": "json",\n {8}"headers": \{\n {10}"content-type"/, 'the fields around it stay indented');
  const parsed = parseCassetteJson(text, 'getPetById.json') as { interactions: unknown[] };
  t.same(parsed.interactions[0], interaction, 'reads back equal');
  const small = makeInteraction();
  t.match(serializeOperationFile({ operationId: 'getPetById', interactions: [small] }), /"body": \{\n {10}"id": 7,/, 'a small body stays indented');
});
