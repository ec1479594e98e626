import t from 'tap';
import { createHash } from 'node:crypto';
import { ApiKeyGate, challenge, checkAccess, keyMatches, presentedKey, type KeySource } from '../../src/gate/index.js';
import { digestKey, keyDigest, type AccessPolicy } from '../../src/config.js';

type Keyed = Extract<AccessPolicy, { kind: 'apiKey' }>;
const policy = (over: Partial<Keyed> = {}, keys = ['s3cret', 'clé-ü-🔑']): Keyed => ({ kind: 'apiKey', in: 'header', name: 'x-api-key', digests: keys.map(digestKey), ...over });
const req = (headers: KeySource['headers'] = {}, query: KeySource['query'] = {}): KeySource => ({ headers, query });
/** A UTF-8 key as Node hands it over in a header: one latin1 char per byte. */
const asHeader = (key: string): string => Buffer.from(key, 'utf8').toString('latin1');

t.test('checkAccess: missing → 401, wrong → 403, right → null, for each key location', async (t) => {
  const cases: Array<[string, AccessPolicy, KeySource, number | null]> = [
    ['public', { kind: 'public' }, req(), null],
    ['header: missing', policy(), req(), 401],
    ['header: empty', policy(), req({ 'x-api-key': '' }), 401],
    ['header: wrong', policy(), req({ 'x-api-key': 'nope' }), 403],
    ['header: right', policy(), req({ 'x-api-key': 's3cret' }), null],
    ['header: second key of the list', policy(), req({ 'x-api-key': asHeader('clé-ü-🔑') }), null],
    ['header: non-ASCII, wrong', policy(), req({ 'x-api-key': asHeader('clé-ü-🔒') }), 403],
    ['header: repeated, first counts', policy(), req({ 'x-api-key': ['s3cret', 'nope'] }), null],
    ['header: custom name', policy({ name: 'x-token' }), req({ 'x-token': 's3cret' }), null],
    ['header: key under another name', policy({ name: 'x-token' }), req({ 'x-api-key': 's3cret' }), 401],
    ['header: 1 MB key', policy(), req({ 'x-api-key': 'k'.repeat(1024 * 1024) }), 403],
    ['query: missing', policy({ in: 'query', name: 'api_key' }), req(), 401],
    ['query: wrong', policy({ in: 'query', name: 'api_key' }), req({}, { api_key: ['nope'] }), 403],
    ['query: right', policy({ in: 'query', name: 'api_key' }), req({}, { api_key: ['s3cret'] }), null],
    ['query: non-ASCII (percent-decoded UTF-8)', policy({ in: 'query', name: 'api_key' }), req({}, { api_key: ['clé-ü-🔑'] }), null],
    ['bearer: missing', policy({ in: 'bearer' }), req(), 401],
    ['bearer: Basic is not Bearer', policy({ in: 'bearer' }), req({ authorization: 'Basic s3cret' }), 401],
    ['bearer: empty token', policy({ in: 'bearer' }), req({ authorization: 'Bearer   ' }), 401],
    ['bearer: wrong', policy({ in: 'bearer' }), req({ authorization: 'Bearer nope' }), 403],
    ['bearer: right', policy({ in: 'bearer' }), req({ authorization: 'Bearer s3cret' }), null],
    ['bearer: scheme is case-insensitive', policy({ in: 'bearer' }), req({ authorization: 'BEARER s3cret' }), null],
  ];
  for (const [name, access, request, status] of cases) {
    const verdict = checkAccess(access, request);
    t.equal(verdict?.status ?? null, status, name);
  }
});

t.test('the verdict names where the key goes, never the key', async (t) => {
  const sent = 'wrong-key-with-a-secret-shape';
  for (const access of [policy(), policy({ in: 'query', name: 'api_key' }), policy({ in: 'bearer' })]) {
    const verdict = checkAccess(access, req({ 'x-api-key': sent, authorization: `Bearer ${sent}` }, { api_key: [sent] }));
    t.ok(verdict);
    t.notMatch(JSON.stringify({ message: verdict?.message, params: verdict?.params }), /secret-shape|s3cret/, `${access.in}: no key in the error`);
  }
  t.equal(checkAccess(policy(), req())?.message, 'This mock needs an API key in the x-api-key header.');
  t.equal(checkAccess(policy({ in: 'bearer' }), req({ authorization: 'Bearer x' }))?.message, "The API key sent in an Authorization: Bearer header is not one of this mock's keys.");
});

t.test('keys given as sha256 or env match like literals', async (t) => {
  const digest = createHash('sha256').update('s3cret').digest('hex');
  const env = { KEYS: 'one, s3cret ,,' };
  t.ok(keyMatches('s3cret', keyDigest(`sha256:${digest}`, 'k')), 'sha256:<hex>');
  t.ok(keyMatches('s3cret', keyDigest(`sha256:${digest.toUpperCase()}`, 'k')), 'hex is case-insensitive');
  t.ok(keyMatches('s3cret', keyDigest('env:KEYS', 'k', env)), 'env:NAME, comma list trimmed');
  t.ok(keyMatches('one', keyDigest('env:KEYS', 'k', env)));
  t.notOk(keyMatches(digest, keyDigest(`sha256:${digest}`, 'k')), 'the digest itself is not a key');
  t.ok(keyMatches(Buffer.from('s3cret'), [digestKey('s3cret')]), 'bytes compare like their UTF-8 string');
  t.notOk(keyMatches('', [digestKey('s3cret')]));
});

t.test('presentedKey returns the bytes the client sent', async (t) => {
  t.same(presentedKey(policy(), req({ 'x-api-key': asHeader('ü') })), Buffer.from('ü', 'utf8'));
  t.same(presentedKey(policy({ in: 'bearer' }), req({ authorization: 'Bearer  tok ' })), Buffer.from('tok'));
  t.equal(presentedKey(policy({ in: 'query', name: 'k' }), req({}, { k: [''] })), undefined);
});

t.test('challenge', async (t) => {
  t.equal(challenge({ kind: 'public' }), undefined);
  t.equal(challenge(policy()), 'ApiKey realm="mockdeck", in="header", name="x-api-key"');
  t.equal(challenge(policy({ in: 'query', name: 'api_key' })), 'ApiKey realm="mockdeck", in="query", name="api_key"');
  t.equal(challenge(policy({ in: 'bearer' })), 'Bearer realm="mockdeck"');
});

t.test('ApiKeyGate answers as checkAccess does, for fresh and remembered keys alike', async (t) => {
  for (const access of [policy(), policy({ in: 'query', name: 'api_key' }), policy({ in: 'bearer' })]) {
    const gate = new ApiKeyGate(access);
    const place = (key: string): KeySource => access.in === 'header' ? req({ 'x-api-key': asHeader(key) }) : access.in === 'query' ? req({}, { api_key: [key] }) : req({ authorization: `Bearer ${asHeader(key)}` });
    const cases: KeySource[] = [req(), place('s3cret'), place('wrong'), place('clé-ü-🔑'), place('s3cret'), place('wrong'), place('s3cre'), place('s3cret!'), place('clé-ü-🔑'), place('')];
    for (const [i, r] of cases.entries()) {
      t.same(gate.check(r)?.code ?? null, checkAccess(access, r)?.code ?? null, `${access.in} case ${i}`);
    }
    t.equal(gate.readsQuery, access.in === 'query');
  }
});

t.test('ApiKeyGate remembers accepted keys only, and only a bounded number of them', async (t) => {
  const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`);
  const gate = new ApiKeyGate(policy({}, keys));
  const accepted = (gate as unknown as { accepted: Map<string, true> }).accepted;
  for (let i = 0; i < 50; i++) t.equal(gate.check(req({ 'x-api-key': `guess-${i}` }))?.code, 'MOCKDECK_ERR_GATE_KEY_INVALID', 'refused', { diagnostic: false });
  t.equal(accepted.size, 0, 'refused keys are never remembered');
  for (const key of keys) t.equal(gate.check(req({ 'x-api-key': key })), null, key, { diagnostic: false });
  t.ok(accepted.size <= 64, `bounded (${accepted.size})`);
  for (const key of keys) t.equal(gate.check(req({ 'x-api-key': key })), null, `${key} still accepted after turnover`, { diagnostic: false });
  t.equal(gate.check(req({ 'x-api-key': 'key-1000' }))?.code, 'MOCKDECK_ERR_GATE_KEY_INVALID');
});
