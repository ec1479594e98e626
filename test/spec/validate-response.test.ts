import t from 'tap';
import { loadSpec, type Spec } from '../../src/index.js';
import { checkResponse, SchemaValidator } from '../../src/spec/index.js';
import { fromRoot } from '../helpers/paths.js';

const bodies = new SchemaValidator();

/** Distinct pointers of the findings for a JSON response, sorted. */
function pointers(spec: Spec, method: string, path: string, status: number, body: unknown): string[] {
  const route = spec.route(method, path);
  if (route.kind !== 'operation') throw new Error(`${method} ${path} does not route`);
  const { findings } = checkResponse(spec.resolve(route.operation), { status, headers: {}, body, mediaType: 'application/json' }, spec.info.version, bodies);
  return [...new Set(findings.map((f) => f.pointer))].sort();
}

// Regression: the openapi-response-validator path (2.0/3.0) pointed top-level errors at "/body/".
t.test('2.0 and 3.0 response findings carry the JSON pointer of what broke, /body itself included', async (t) => {
  const v30 = await loadSpec(fromRoot('test/fixtures/specs/openapi30.yaml'));
  const v20 = await loadSpec(fromRoot('test/fixtures/specs/swagger2.yaml'));
  // [what, spec, method, path, status, body, expected pointers]
  const table: Array<[string, Spec, string, string, number, unknown, string[]]> = [
    ['3.0: valid', v30, 'GET', '/things', 200, [], []],
    ['3.0: body of the wrong type (top level)', v30, 'GET', '/things', 200, { not: 'a list' }, ['/body']],
    ['3.0: object expected, got a string (top level)', v30, 'GET', '/things/1', 200, 'nope', ['/body']],
    ['3.0: missing required property points at it', v30, 'GET', '/things/1', 200, { name: 'ab', size: 1 }, ['/body/id']],
    ['3.0: nested property of the wrong type', v30, 'GET', '/things/1', 200, { name: 'ab', size: 1, id: 'one' }, ['/body/id']],
    ['3.0: array item property', v30, 'GET', '/things', 200, [{ name: 'a', size: 1 }], ['/body/0/id', '/body/0/name']],
    ['2.0: valid', v20, 'GET', '/widgets/1', 200, { id: 1, name: 'w' }, []],
    ['2.0: object expected, got a string (top level)', v20, 'GET', '/widgets/1', 200, 'nope', ['/body']],
    ['2.0: array expected (top level)', v20, 'GET', '/widgets', 200, { id: 1 }, ['/body']],
    ['2.0: missing required property points at it', v20, 'GET', '/widgets/1', 200, { id: 1 }, ['/body/name']],
    ['2.0: nested property below its minimum', v20, 'GET', '/widgets/1', 200, { id: 0, name: 'w' }, ['/body/id']],
    ['2.0: array item property', v20, 'GET', '/widgets', 200, [{ id: 1, name: 'a' }, { id: 'two', name: 'b' }], ['/body/1/id']],
    ['2.0: top-level property below its exclusive minimum', v20, 'GET', '/widgets/1', 200, { id: 1, name: 'w', weight: -1 }, ['/body/weight']],
  ];
  for (const [what, spec, method, path, status, body, expected] of table) {
    t.same(pointers(spec, method, path, status, body), expected, what);
  }
});

t.test('a big body checked again against the same schema gives the same findings, and a new schema checks it anew', async (t) => {
  const v30 = await loadSpec(fromRoot('test/fixtures/specs/openapi30.yaml'));
  const route = v30.route('GET', '/things');
  if (route.kind !== 'operation') throw new Error('GET /things does not route');
  const body = [{ name: 'a', size: 1 }];
  const parts = { status: 200, headers: {}, body, mediaType: 'application/json', mayRepeat: true };
  const first = checkResponse(v30.resolve(route.operation), parts, v30.info.version, bodies);
  t.equal(first.ok, false);
  first.findings.length = 0; // a caller changing what it got must not change the next answer
  const again = checkResponse(v30.resolve(route.operation), parts, v30.info.version, bodies);
  t.same(again.findings.map((f) => f.pointer).sort(), ['/body/0/id', '/body/0/name']);
  const reloaded = await loadSpec(fromRoot('test/fixtures/specs/openapi30.yaml'));
  const other = reloaded.route('GET', '/things');
  if (other.kind !== 'operation') throw new Error('GET /things does not route');
  body.length = 0; // the same body object, now valid: only a new schema sees the change
  t.same(checkResponse(reloaded.resolve(other.operation), parts, reloaded.info.version, bodies).findings, [], 'a reloaded spec brings new schemas, checked afresh');
});
