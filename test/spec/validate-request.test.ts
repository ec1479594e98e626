import t from 'tap';
import { loadSpec, type Spec } from '../../src/index.js';
import { checkRequest, SchemaValidator, type RequestParts } from '../../src/spec/index.js';
import { fromRoot } from '../helpers/paths.js';

const params = new SchemaValidator({ coerce: true });
const bodies = new SchemaValidator();

function req(over: Partial<RequestParts>): RequestParts {
  return { pathParams: {}, query: {}, headers: {}, body: undefined, mediaType: undefined, ...over };
}

function check(spec: Spec, method: string, path: string, over: Partial<RequestParts>): string[] {
  const route = spec.route(method, path);
  if (route.kind !== 'operation') throw new Error(`${method} ${path} does not route`);
  return checkRequest(spec.resolve(route.operation), req({ pathParams: route.params, ...over }), params, bodies).map((f) => f.pointer);
}

t.test('every violation carries the JSON pointer of what broke', async (t) => {
  const petstore = await loadSpec(fromRoot('specs/petstore.yaml'));
  const v30 = await loadSpec(fromRoot('test/fixtures/specs/openapi30.yaml'));
  const v20 = await loadSpec(fromRoot('test/fixtures/specs/swagger2.yaml'));
  const json = 'application/json';
  const uuid = '0b8d0c3e-1111-4222-8333-444455556666';
  // [what, spec, method, path, request parts, expected pointers (sorted)]
  const table: Array<[string, Spec, string, string, Partial<RequestParts>, string[]]> = [
    ['valid query (strings coerced to integer)', petstore, 'GET', '/pets', { query: { limit: ['5'], status: ['sold'] } }, []],
    ['query below minimum', petstore, 'GET', '/pets', { query: { limit: ['0'] } }, ['/query/limit']],
    ['query not an integer', petstore, 'GET', '/pets', { query: { limit: ['abc'] } }, ['/query/limit']],
    ['query outside enum ($ref schema)', petstore, 'GET', '/pets', { query: { status: ['lost'] } }, ['/query/status']],
    ['two bad query params: both reported', petstore, 'GET', '/pets', { query: { status: ['lost'], limit: ['1000'] } }, ['/query/limit', '/query/status']],
    ['path param of the wrong type', petstore, 'GET', '/pets/abc', {}, ['/path/petId']],
    ['path param below minimum', petstore, 'GET', '/pets/0', {}, ['/path/petId']],
    ['path param pattern', petstore, 'GET', '/users/X', {}, ['/path/username']],
    ['path param format uuid', petstore, 'GET', '/store/orders/not-a-uuid', {}, ['/path/orderId']],
    ['valid uuid', petstore, 'GET', `/store/orders/${uuid}`, {}, []],
    ['required body missing', petstore, 'POST', '/pets', {}, ['/body']],
    ['required property missing', petstore, 'POST', '/pets', { body: {}, mediaType: json }, ['/body/name']],
    ['property of the wrong type', petstore, 'POST', '/pets', { body: { name: 5 }, mediaType: json }, ['/body/name']],
    ['array item of the wrong type', petstore, 'POST', '/pets', { body: { name: 'Rex', tags: ['a', 1] }, mediaType: json }, ['/body/tags/1']],
    ['every body violation at once', petstore, 'POST', '/store/orders', { body: { petId: 0, quantity: 11 }, mediaType: json }, ['/body/petId', '/body/quantity']],
    ['valid body', petstore, 'POST', '/pets', { body: { name: 'Rex', status: 'available' }, mediaType: json }, []],
    ['additionalProperties: false names the extra property', v30, 'POST', '/things', { body: { name: 'ab', size: 1, extra: true }, mediaType: json }, ['/body/extra']],
    ['3.0 nullable accepts null', v30, 'POST', '/things', { body: { name: 'ab', size: 1, colour: null, owner: null }, mediaType: json }, []],
    ['3.0 exclusiveMinimum: true rejects the bound', v30, 'POST', '/things', { body: { name: 'ab', size: 0 }, mediaType: json }, ['/body/size']],
    ['required header missing', v30, 'GET', '/things', {}, ['/header/x-trace']],
    ['header format', v30, 'GET', '/things', { headers: { 'x-trace': 'nope' } }, ['/header/x-trace']],
    ['form/explode=false array item', v30, 'GET', '/things', { headers: { 'x-trace': uuid }, query: { ids: ['1,a,3'] } }, ['/query/ids/1']],
    ['form/explode=false array ok', v30, 'GET', '/things', { headers: { 'x-trace': uuid }, query: { ids: ['1,2,3'] } }, []],
    ['2.0 query maximum', v20, 'GET', '/widgets', { query: { limit: ['51'] } }, ['/query/limit']],
    ['2.0 body parameter', v20, 'POST', '/widgets', { body: { weight: 0 }, mediaType: json }, ['/body/name', '/body/weight']],
    ['2.0 path param under basePath', v20, 'GET', '/api/v2/widgets/x', {}, ['/path/widgetId']],
  ];
  for (const [what, spec, method, path, parts, expected] of table) {
    t.same(check(spec, method, path, parts).sort(), expected, what);
  }
});

t.test('pointer tokens are escaped (RFC 6901)', async (t) => {
  const spec = await loadSpec(fromRoot('test/fixtures/specs/openapi30.yaml'));
  const route = spec.route('GET', '/things');
  if (route.kind !== 'operation') throw new Error('no route');
  const op = spec.resolve(route.operation);
  const odd = { ...op, parameters: [{ name: 'a/b~c', in: 'query' as const, required: true, schema: { type: 'integer' }, style: undefined, explode: undefined }] };
  t.same(checkRequest(odd, req({}), params, bodies).map((f) => f.pointer), ['/query/a~1b~0c']);
});

t.test('regression: parameter schemas compile once, not once per request', async (t) => {
  const spec = await loadSpec(fromRoot('specs/petstore.yaml'));
  const validator = new SchemaValidator({ coerce: true });
  const route = spec.route('GET', '/pets');
  if (route.kind !== 'operation') throw new Error('no route');
  const op = spec.resolve(route.operation);
  for (let i = 0; i < 50; i++) checkRequest(op, req({ query: { limit: [String(i + 1)], status: ['sold'] } }), validator, bodies);
  const compiles = validator.compiled;
  t.ok(compiles <= op.parameters.length, `${compiles} compilations for ${op.parameters.length} parameters over 50 requests`);
});
