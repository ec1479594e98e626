/**
 * Bad and heavy requests over real sockets against the embedded petstore:
 * every one gets a typed problem+json answer, and the server keeps answering.
 */
import t, { type Test } from 'tap';
import { createMock, type Mock } from '../../src/index.js';
import { call, type Answer } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';

const spec = fromRoot('specs/petstore.yaml');
const JSON_TYPE = { 'content-type': 'application/json' };

async function start(t: Test, validateRequests = false): Promise<{ mock: Mock; url: string }> {
  const mock = await createMock({ spec, port: 0, cassettesDir: t.testdir({}), validateRequests });
  const url = await mock.listen();
  t.teardown(() => mock.close());
  return { mock, url };
}

function problem(t: Test, a: Answer, status: number, code: string, what: string): Record<string, any> {
  t.equal(a.status, status, `${what}: status ${status}`);
  t.match(a.headers['content-type'], /^application\/problem\+json/, `${what}: problem+json`);
  const body = a.json() as Record<string, any>;
  t.equal(body['type'], `https://mockdeck.dev/errors/${code}`, `${what}: type ${code}`);
  t.equal(body['status'], status, `${what}: status in body`);
  t.ok(typeof body['title'] === 'string' && typeof body['detail'] === 'string', `${what}: title and detail`);
  return body;
}

async function stillAnswering(t: Test, url: string, after: string): Promise<void> {
  const a = await call(`${url}/pets/1`);
  t.equal(a.status, 200, `still answering after ${after}`);
}

t.test('routing errors: 404, 405 + Allow, 406, 415, 401', async (t) => {
  const { url } = await start(t);

  const unknown = await call(`${url}/owners/1`);
  const body = problem(t, unknown, 404, 'MOCKDECK_ERR_REQ_UNKNOWN_PATH', 'unknown path');
  t.equal(unknown.headers['x-mockdeck-source'], 'mockdeck', 'unknown path is mockdeck\'s own answer');
  t.match(body['detail'], /GET \/owners\/1/, 'the detail quotes the request');

  const wrongMethod = await call(`${url}/pets/1`, { method: 'PATCH' });
  problem(t, wrongMethod, 405, 'MOCKDECK_ERR_REQ_METHOD_NOT_ALLOWED', '405');
  t.same(String(wrongMethod.headers['allow']).split(/,\s*/).sort(), ['DELETE', 'GET'], 'Allow lists the documented methods');

  const notAcceptable = await call(`${url}/pets/1`, { headers: { accept: 'text/html' } });
  const na = problem(t, notAcceptable, 406, 'MOCKDECK_ERR_REQ_NOT_ACCEPTABLE', '406');
  t.equal(notAcceptable.headers['x-mockdeck-operation'], 'getPetById');
  t.same(na['available'], ['application/json']);

  const unsupported = await call(`${url}/pets`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=Rex' });
  problem(t, unsupported, 415, 'MOCKDECK_ERR_REQ_UNSUPPORTED_MEDIA_TYPE', '415');

  const noKey = await call(`${url}/pets/mine`);
  const nk = problem(t, noKey, 401, 'MOCKDECK_ERR_REQ_UNAUTHENTICATED', '401 without x-petstore-key');
  t.match(nk['detail'], /petstoreKey/, 'names the scheme the spec requires');
  const withKey = await call(`${url}/pets/mine`, { headers: { 'x-petstore-key': 'anything' } });
  t.equal(withKey.status, 200, 'with the key: 200');
  t.equal(withKey.headers['x-mockdeck-source'], 'spec');
  t.equal(withKey.headers['x-mockdeck-operation'], 'listMyPets', 'literal /pets/mine, not /pets/{petId}');

  const unsatisfiable = await call(`${url}/pets/1`, { headers: { prefer: 'code=500' } });
  problem(t, unsatisfiable, 400, 'MOCKDECK_ERR_REQ_PREFER_UNSATISFIABLE', 'Prefer code not documented');
  const preferred = await call(`${url}/pets/1`, { headers: { prefer: 'code=404' } });
  t.equal(preferred.status, 404, 'Prefer code=404 answers the documented 404');
  t.equal(preferred.headers['x-mockdeck-source'], 'spec');

  await stillAnswering(t, url, 'routing errors');
});

t.test('bodies: malformed JSON is 400, 5 MB is served, over the limit is 413', async (t) => {
  const { url } = await start(t);

  const malformed = await call(`${url}/pets`, { method: 'POST', headers: JSON_TYPE, body: '{"name": "Rex",' });
  const m = problem(t, malformed, 400, 'MOCKDECK_ERR_REQ_MALFORMED_BODY', 'malformed JSON');
  t.match(m['detail'], /application\/json/, 'names the declared type');

  const big = JSON.stringify({ name: 'Rex', tags: ['x'], padding: 'p'.repeat(5 * 1024 * 1024) });
  t.ok(big.length > 5 * 1024 * 1024, '5 MB body');
  const created = await call(`${url}/pets`, { method: 'POST', headers: JSON_TYPE, body: big });
  t.equal(created.status, 201, 'a 5 MB body is read and answered');

  const bigMalformed = await call(`${url}/pets`, { method: 'POST', headers: JSON_TYPE, body: big.slice(0, -1) });
  problem(t, bigMalformed, 400, 'MOCKDECK_ERR_REQ_MALFORMED_BODY', '5 MB malformed JSON');

  const tooBig = await call(`${url}/pets`, { method: 'POST', headers: JSON_TYPE, body: Buffer.alloc(17 * 1024 * 1024, 0x20) });
  problem(t, tooBig, 413, 'MOCKDECK_ERR_REQ_BODY_TOO_LARGE', 'over the body limit');

  await stillAnswering(t, url, 'heavy bodies');
});

t.test('200 concurrent requests all answer', async (t) => {
  const { url } = await start(t);
  const paths = ['/pets', '/pets/1', '/store/inventory', '/categories', '/users/ann', '/nowhere'];
  const answers = await Promise.all(Array.from({ length: 200 }, (_v, i) => call(`${url}${paths[i % paths.length]}${i % paths.length === 1 ? i : ''}`)));
  const byStatus = new Map<number, number>();
  for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
  t.same(Object.fromEntries(byStatus), { 200: 167, 404: 33 }, 'every request answered: 167 from the spec, 33 unknown paths');
  t.ok(answers.filter((a) => a.status === 200).every((a) => a.headers['x-mockdeck-source'] === 'spec'));
  await stillAnswering(t, url, '200 concurrent requests');
});

t.test('--validate-requests: 422 lists every violation with its JSON pointer', async (t) => {
  const { url } = await start(t, true);

  const query = await call(`${url}/pets?limit=0&status=lost`);
  const q = problem(t, query, 422, 'MOCKDECK_ERR_REQ_INVALID', 'bad query');
  t.same((q['errors'] as Array<{ pointer: string }>).map((e) => e.pointer).sort(), ['/query/limit', '/query/status']);
  t.ok((q['errors'] as Array<{ message: string }>).every((e) => e.message.length > 0), 'each violation says what is wrong');

  const body = await call(`${url}/store/orders`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ petId: 0, quantity: 11 }) });
  const b = problem(t, body, 422, 'MOCKDECK_ERR_REQ_INVALID', 'bad body');
  t.same((b['errors'] as Array<{ pointer: string }>).map((e) => e.pointer).sort(), ['/body/petId', '/body/quantity']);

  const both = await call(`${url}/pets`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ tags: [1] }) });
  const bb = problem(t, both, 422, 'MOCKDECK_ERR_REQ_INVALID', 'missing and wrong');
  t.same((bb['errors'] as Array<{ pointer: string }>).map((e) => e.pointer).sort(), ['/body/name', '/body/tags/0']);

  const path = await call(`${url}/pets/abc`);
  const p = problem(t, path, 422, 'MOCKDECK_ERR_REQ_INVALID', 'bad path param');
  t.same((p['errors'] as Array<{ pointer: string }>).map((e) => e.pointer), ['/path/petId']);

  const valid = await call(`${url}/pets?limit=5&status=sold`);
  t.equal(valid.status, 200, 'a valid request (enum through $ref, coerced integer) passes');
  const validBody = await call(`${url}/store/orders`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ petId: 1, quantity: 2 }) });
  t.equal(validBody.status, 200);

  await stillAnswering(t, url, '422s');
});
