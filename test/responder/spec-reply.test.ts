import t from 'tap';
import { isMockdeckError, loadSpec, type Spec } from '../../src/index.js';
import { chooseResponse, GenerationCache, replyFromSpec, type Preferences, type SpecReplyInput } from '../../src/responder/index.js';
import { SchemaValidator, type ResolvedOperation, type ResponseModel } from '../../src/spec/index.js';
import { fromRoot } from '../helpers/paths.js';
import { independentAjv } from '../e2e-spec/support/independent-schema.js';

function opWith(statuses: string[]): ResolvedOperation {
  const responses: ResponseModel[] = statuses.map((status) => ({ status, description: status, headers: {}, content: {} }));
  return { id: 'op', method: 'GET', path: '/x', pointer: '/paths/~1x/get', tags: [], summary: undefined, synthesizedId: false, parameters: [], requestBody: null, responses, security: [] };
}

t.test('chooseResponse table', async (t) => {
  // [what, documented statuses (spec order), Prefer, expected status, expected response key]
  const table: Array<[string, string[], Preferences, number, string]> = [
    ['lowest 2xx, whatever the spec order', ['201', '200', '404'], {}, 200, '200'],
    ['only a 201', ['201', '400'], {}, 201, '201'],
    ['204 with errors around it', ['500', '204', '404'], {}, 204, '204'],
    ['2XX range answers 200', ['2XX', '404'], {}, 200, '2XX'],
    ['no 2xx: default', ['400', 'default'], {}, 200, 'default'],
    ['default alone answers 200', ['default'], {}, 200, 'default'],
    ['no 2xx and no default: lowest documented', ['500', '404'], {}, 404, '404'],
    ['Prefer code exact', ['200', '404'], { code: 404 }, 404, '404'],
    ['Prefer code beats 2xx even when a 2xx exists', ['200', '201'], { code: 201 }, 201, '201'],
    ['Prefer code through a range', ['200', '4XX'], { code: 409 }, 409, '4XX'],
    ['Prefer code through default', ['200', 'default'], { code: 503 }, 503, 'default'],
    ['exact beats range beats default', ['4XX', 'default', '404'], { code: 404 }, 404, '404'],
    ['range beats default', ['default', '4XX'], { code: 418 }, 418, '4XX'],
  ];
  for (const [what, statuses, prefer, status, key] of table) {
    const chosen = chooseResponse(opWith(statuses), prefer);
    t.equal(chosen.status, status, `${what}: status`);
    t.equal(chosen.response.status, key, `${what}: response`);
  }
});

t.test('chooseResponse: an unsatisfiable Prefer code is a typed 400 naming what is documented', async (t) => {
  const err = (() => {
    try {
      chooseResponse(opWith(['200', '404']), { code: 500 });
    } catch (e) {
      return e;
    }
    return null;
  })();
  t.ok(isMockdeckError(err, 'MOCKDECK_ERR_REQ_PREFER_UNSATISFIABLE'));
  t.equal((err as { status?: number })?.status, 400);
  t.match((err as Error)?.message, /code=500 .*documented statuses are 200, 404/);
});

t.test('chooseResponse: an operation documenting nothing answers an empty 200', async (t) => {
  t.same(chooseResponse(opWith([]), {}), { status: 200, response: { status: '200', description: '', headers: {}, content: {} } });
});

t.test('replyFromSpec on the embedded petstore', async (t) => {
  const spec = await loadSpec(fromRoot('specs/petstore.yaml'));
  const deps = { validator: new SchemaValidator(), cache: new GenerationCache() };
  const op = (id: string): ResolvedOperation => spec.resolve(spec.operationById(id)!);
  const input = (over: Partial<SpecReplyInput> = {}): SpecReplyInput => ({ path: '/pets', method: 'GET', accept: undefined, prefer: {}, ...over });
  const json = (body: Buffer | string): unknown => JSON.parse(body.toString());

  const first = replyFromSpec(op('listPets'), input(), deps);
  t.equal(first.status, 200);
  t.equal(first.headers['content-type'], 'application/json; charset=utf-8');
  t.same(json(first.body), [{ id: 1, name: 'Rex', status: 'available', tags: ['dog'] }, { id: 2, name: 'Tom', status: 'sold', tags: ['cat'] }], 'the first named example');
  t.match(first.headers['x-total-count'], /^\d+$/, 'documented response headers are generated from their schema');
  t.same(json(replyFromSpec(op('listPets'), input({ prefer: { example: 'empty' } }), deps).body), [], 'Prefer example= picks by name');
  t.throws(() => replyFromSpec(op('listPets'), input({ prefer: { example: 'nope' } }), deps), { code: 'MOCKDECK_ERR_REQ_PREFER_UNSATISFIABLE', message: /examples are two, empty/ });

  const created = replyFromSpec(op('createPet'), input({ method: 'POST' }), deps);
  t.equal(created.status, 201);
  t.same(json(created.body), { id: 42, name: 'Nala', status: 'available', tags: [] }, 'a lone `example` is the default example');

  const notFound = replyFromSpec(op('getPetById'), input({ path: '/pets/1', prefer: { code: 404 } }), deps);
  t.equal(notFound.status, 404);
  t.equal(notFound.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.same(json(notFound.body), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No pet with this id' });

  const deleted = replyFromSpec(op('deletePet'), input({ method: 'DELETE', path: '/pets/1' }), deps);
  t.same([deleted.status, deleted.body], [204, ''], '204 has no body');

  const head = replyFromSpec(op('getPetById'), input({ method: 'HEAD', path: '/pets/1' }), deps);
  t.same([head.status, head.body, head.headers['content-type']], [200, '', 'application/json; charset=utf-8'], 'HEAD: headers, no body');

  t.throws(() => replyFromSpec(op('getPetById'), input({ path: '/pets/1', accept: 'text/html' }), deps), { code: 'MOCKDECK_ERR_REQ_NOT_ACCEPTABLE' }, '406 when nothing fits');
  const xml = replyFromSpec(op('getUserByName'), input({ path: '/users/ann', accept: 'application/xml' }), deps);
  t.equal(xml.headers['content-type'], 'application/xml', 'the negotiated type is what is sent');

  const generated = replyFromSpec(op('getPetById'), input({ path: '/pets/7' }), deps);
  const schema = op('getPetById').responses[0]!.content['application/json']!.schema as object;
  const validate = independentAjv().compile(schema);
  t.ok(validate(json(generated.body)), `no example: generated body validates ${JSON.stringify(validate.errors)}`);
});

t.test('determinism: same path, same body; another path or dynamic=true, fresh data', async (t) => {
  const spec: Spec = await loadSpec(fromRoot('specs/petstore.yaml'));
  const op = spec.resolve(spec.operationById('getOrderById')!);
  const body = (path: string, prefer: Preferences = {}, cache = new GenerationCache()): string =>
    replyFromSpec(op, { path, method: 'GET', accept: undefined, prefer }, { validator: new SchemaValidator(), cache }).body.toString();
  const a = '/store/orders/0b8d0c3e-1111-4222-8333-444455556666';
  const b = '/store/orders/7f000000-1111-4222-8333-444455556666';
  t.equal(body(a), body(a), 'equal paths give equal bodies, even across caches and validators (seeded, not memoized)');
  t.not(body(a), body(b), 'another path gives other data');
  const dynamic = new Set(Array.from({ length: 5 }, () => body(a, { dynamic: true })));
  t.ok(dynamic.size >= 4, `dynamic=true gives fresh data (${dynamic.size} distinct of 5)`);
  t.not(body(a, { dynamic: true }), body(a), 'dynamic differs from the deterministic body');
  const listPets = spec.resolve(spec.operationById('listPets')!);
  const dyn = replyFromSpec(listPets, { path: '/pets', method: 'GET', accept: undefined, prefer: { dynamic: true } }, { validator: new SchemaValidator(), cache: new GenerationCache() });
  t.not(dyn.body.toString(), JSON.stringify(listPets.responses[0]!.content['application/json']!.examples[0]!.value), 'dynamic=true skips examples');
});

t.test('remembered answers: equal to fresh ones, per path, Accept, Prefer and method; dynamic=true never remembered', async (t) => {
  const json = (body: Buffer | string): unknown => JSON.parse(body.toString());
  const spec: Spec = await loadSpec(fromRoot('specs/petstore.yaml'));
  const deps = { validator: new SchemaValidator(), cache: new GenerationCache() };
  const fresh = () => ({ validator: new SchemaValidator(), cache: new GenerationCache() });
  const ask = (id: string, input: Partial<SpecReplyInput>, d = deps) => replyFromSpec(spec.resolve(spec.operationById(id)!), { path: '/x', method: 'GET', accept: undefined, prefer: {}, ...input }, d);
  const inputs: Array<[string, Partial<SpecReplyInput>]> = [
    ['getOrderById', { path: '/store/orders/0b8d0c3e-1111-4222-8333-444455556666' }],
    ['getOrderById', { path: '/store/orders/7f000000-1111-4222-8333-444455556666' }],
    ['getOrderById', { path: '/store/orders/7f000000-1111-4222-8333-444455556666', method: 'HEAD' }],
    ['listPets', { path: '/pets' }],
    ['listPets', { path: '/pets', prefer: { example: 'empty' } }],
    ['listPets', { path: '/pets', prefer: { code: 500 } }],
    ['listPets', { path: '/pets', method: 'HEAD' }],
    ['createPet', { path: '/pets', method: 'POST' }],
  ];
  const first = inputs.map(([id, input]) => ask(id, input));
  for (const [i, [id, input]] of inputs.entries()) {
    const again = ask(id, input);
    t.equal(again, first[i], `${id} ${JSON.stringify(input)}: remembered`);
    t.ok(Object.isFrozen(again) && Object.isFrozen(again.headers), 'shared, so frozen');
    t.same({ ...again, headers: { ...again.headers } }, ask(id, input, fresh()), 'byte-equal to a fresh answer');
  }
  t.not(first[0]!.body, first[1]!.body, 'another path, other generated data');
  t.equal(first[2]!.body, '', 'HEAD: no body, even remembered');
  t.equal(first[6]!.body, '', 'HEAD of an example: no body');
  t.not(first[6], first[3], 'HEAD and GET are remembered apart');
  t.same(json(first[4]!.body), [], 'Prefer: example=empty is remembered apart from the first example');
  t.equal(deps.cache.replies.size, inputs.length);
  const path = inputs[0]![1].path;
  const dynamic = new Set(Array.from({ length: 5 }, () => ask('getOrderById', { path, prefer: { dynamic: true } }).body));
  t.ok(dynamic.size >= 4, `dynamic=true still varies with a warm memo (${dynamic.size} distinct of 5)`);
  t.equal(deps.cache.replies.size, inputs.length, 'dynamic answers are not remembered');
  t.throws(() => ask('getPetById', { path: '/pets/1', accept: 'image/gif' }), { code: 'MOCKDECK_ERR_REQ_NOT_ACCEPTABLE' });
  t.throws(() => ask('getPetById', { path: '/pets/1', accept: 'image/gif' }), { code: 'MOCKDECK_ERR_REQ_NOT_ACCEPTABLE' }, 'refusals are not remembered as answers');
});

t.test('the reply memo stays within its bounds', async (t) => {
  const memo = new GenerationCache().replies;
  const reply = (n: number) => ({ status: 200, headers: {}, body: 'x'.repeat(n) });
  for (let i = 0; i < 2500; i++) memo.set(`k${i}`, reply(10));
  t.equal(memo.size, 2000, 'at most 2000 answers');
  t.equal(memo.get('k0'), undefined, 'oldest out first');
  t.ok(memo.get('k2499'));
  const big = memo.set('big', reply(5 * 1024 * 1024));
  t.notOk(Object.isFrozen(big), 'an answer over an eighth of the byte budget is sent but not remembered');
  for (let i = 0; i < 12; i++) memo.set(`mb${i}`, reply(3 * 1024 * 1024));
  t.ok(memo.size < 12, `32 MB of bodies at most (${memo.size} of 12 answers of 3 MB kept)`);
  t.ok(memo.get('mb11'), 'the newest is kept');
});
