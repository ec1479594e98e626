import { execFileSync } from 'node:child_process';
import t from 'tap';
import { createMock, loadSpec } from '../../src/index.js';
import { SchemaValidator } from '../../src/spec/index.js';
import { fromRoot } from '../helpers/paths.js';

const petstore = fromRoot('specs/petstore.yaml');

t.test('a SchemaValidator loads ajv on its first check, not when constructed', async (t) => {
  // A fresh process: in this one other modules may have loaded ajv already.
  const script = `
    import { createRequire } from 'node:module';
    const { SchemaValidator } = await import(${JSON.stringify(fromRoot('dist/src/spec/schema-validator.js'))});
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((f) => /node_modules\\/ajv\\//.test(f));
    const v = new SchemaValidator({ coerce: true });
    const before = loaded();
    const findings = v.check({ type: 'integer' }, 'x');
    process.stdout.write(JSON.stringify({ before, after: loaded(), findings: findings.length }));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { before: boolean; after: boolean; findings: number };
  t.same(out, { before: false, after: true, findings: 1 });
});

t.test('each schema compiles once, on first use', async (t) => {
  const spec = await loadSpec(petstore);
  const op = spec.operationById('createPet');
  if (!op) throw new Error('no createPet');
  t.equal(spec.resolve(op), spec.resolve(op), 'the resolved operation is memoized, so its schemas are the same objects');
  const schema = spec.resolve(op).requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error('createPet has no JSON body schema');
  const v = new SchemaValidator();
  t.equal(v.compiled, 0, 'nothing compiled before use');
  t.same(v.check(schema, { name: 'Rex' }, '/body'), []);
  t.not(v.check(schema, { name: 42 }, '/body').length, 0, 'a bad body is caught');
  t.same(v.check(schema, { name: 'Bo' }, '/body'), []);
  t.equal(v.compiled, 1, 'three checks, one compile');
});

// Regression guard for lazy start: the mock compiles an operation's validators
// on the first request that needs them and reuses them for every later one.
t.test('a mock compiles request validators on the first request to an operation only', async (t) => {
  const mock = await createMock({ spec: petstore, cassettesDir: fromRoot('test/fixtures/no-such-cassettes'), validateRequests: true, port: 0 });
  t.teardown(() => mock.close());
  const { bodyValidator, paramValidator } = mock.runtime.state;
  t.equal(bodyValidator.compiled + paramValidator.compiled, 0, 'nothing compiled at start');
  const post = (payload: unknown) => mock.inject({ method: 'POST', url: '/pets', payload: payload as object, headers: { 'content-type': 'application/json' } });
  t.equal((await post({ name: 'Rex' })).statusCode, 201);
  // The body schema, and the response schema the generated reply is checked against.
  const afterFirst = bodyValidator.compiled;
  t.ok(afterFirst >= 1, `compiled on the first POST (${afterFirst})`);
  t.equal((await post({ name: 7 })).statusCode, 422, 'a bad body is rejected');
  t.equal((await post({ name: 'Bo' })).statusCode, 201);
  t.equal(bodyValidator.compiled, afterFirst, 'later requests reuse it');
});

t.test('pointers to a missing or an extra property escape ~ and / (RFC 6901)', async (t) => {
  const v = new SchemaValidator();
  const schema = { type: 'object', required: ['a/b'], properties: { 'a/b': { type: 'string' } }, additionalProperties: false };
  const findings = v.check(schema, { 'x~y': 1, 'p/q': 2 }, '/body');
  t.same(findings.map((f) => f.pointer).sort(), ['/body/a~1b', '/body/p~1q', '/body/x~0y']);
});
