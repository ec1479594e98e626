import t from 'tap';
import {
  DEFAULT_REDACT_RULES,
  DEFAULT_REDACTED_HEADERS,
  mergeRedactRules,
  parseRedactOption,
  redactInteraction,
  REDACTED,
  type RedactRules,
} from '../../src/cassette/index.js';
import { makeInteraction, thrown } from './fixtures.js';

const NONE: RedactRules = { headers: [], query: [], pointers: [] };

t.test('defaults redact exactly the four credential headers', async (t) => {
  t.strictSame([...DEFAULT_REDACTED_HEADERS], ['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
  for (const name of DEFAULT_REDACTED_HEADERS) {
    const base = makeInteraction();
    const interaction = makeInteraction({
      request: { ...base.request, headers: { [name]: 'secret-req', accept: 'application/json' } },
      response: { ...base.response, headers: { [name]: 'secret-res', 'content-type': 'application/json' } },
    });
    const out = redactInteraction(interaction, DEFAULT_REDACT_RULES);
    t.strictSame(out.request.headers, { [name]: REDACTED, accept: 'application/json' }, `${name} on the request`);
    t.strictSame(out.response.headers, { [name]: REDACTED, 'content-type': 'application/json' }, `${name} on the response`);
    t.notMatch(JSON.stringify(out), /secret/, `${name}: no secret left anywhere`);
  }
});

t.test('header names match case-insensitively, each element of a repeated header', async (t) => {
  const base = makeInteraction();
  const interaction = makeInteraction({
    request: { ...base.request, headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k1' } },
    response: { ...base.response, headers: { 'SET-COOKIE': ['a=1', 'b=2'], 'x-request-id': 'r1' } },
  });
  const out = redactInteraction(interaction, mergeRedactRules(DEFAULT_REDACT_RULES, { headers: ['x-API-key'], query: [], pointers: [] }));
  t.strictSame(out.request.headers, { Authorization: REDACTED, 'X-Api-Key': REDACTED }, 'original header case is kept');
  t.strictSame(out.response.headers, { 'SET-COOKIE': [REDACTED, REDACTED], 'x-request-id': 'r1' });
});

t.test('query names match exactly, every repeated value', async (t) => {
  const base = makeInteraction();
  const interaction = makeInteraction({ request: { ...base.request, query: { token: ['a', 'b'], Token: ['c'], page: ['2'] } } });
  const out = redactInteraction(interaction, { ...NONE, query: ['token'] });
  t.strictSame(out.request.query, { token: [REDACTED, REDACTED], Token: ['c'], page: ['2'] });
  t.strictSame(out.request.headers, interaction.request.headers, 'query rules leave headers alone');
});

t.test('JSON pointers apply to request and response JSON bodies', async (t) => {
  const base = makeInteraction();
  const interaction = makeInteraction({
    request: { ...base.request, body: { user: 'ann', password: 'hunter2', nested: { token: 't1', keep: 1 } }, bodyEncoding: 'json' },
    response: {
      ...base.response,
      body: { items: [{ token: 'x0' }, { token: 'x1' }], 'a/b': 's1', 'c~d': { n: 5 }, password: { old: 'p' } },
      bodyEncoding: 'json',
    },
  });
  const rules = { ...NONE, pointers: ['/password', '/nested/token', '/items/1/token', '/a~1b', '/c~0d', '/missing/deep', '/items/9/token'] };
  const out = redactInteraction(interaction, rules);
  t.strictSame(out.request.body, { user: 'ann', password: REDACTED, nested: { token: REDACTED, keep: 1 } });
  t.strictSame(out.response.body, { items: [{ token: 'x0' }, { token: REDACTED }], 'a/b': REDACTED, 'c~d': REDACTED, password: REDACTED });
  t.strictSame(Object.keys(out.request.body as object), ['user', 'password', 'nested'], 'key order is kept');
});

t.test('pointers never touch text or binary bodies', async (t) => {
  const base = makeInteraction();
  const interaction = makeInteraction({ response: { ...base.response, body: '{"password":"p"}', bodyEncoding: 'utf8' } });
  t.equal(redactInteraction(interaction, { ...NONE, pointers: ['/password'] }).response.body, '{"password":"p"}');
});

t.test('the input is not modified', async (t) => {
  const base = makeInteraction();
  const interaction = makeInteraction({
    request: { ...base.request, headers: { cookie: 'sid=1' }, query: { key: ['k'] }, body: { password: 'p' }, bodyEncoding: 'json' },
  });
  const before = structuredClone(interaction);
  const out = redactInteraction(interaction, { headers: ['cookie'], query: ['key'], pointers: ['/password'] });
  t.strictSame(interaction, before);
  t.not(out, interaction, 'a new object');
  t.equal(out.request.headers.cookie, REDACTED, 'and the copy is redacted');
});

t.test('parts with nothing to redact are shared, redacted ones are copies', async (t) => {
  const base = makeInteraction();
  const interaction = makeInteraction({
    request: { ...base.request, headers: { accept: 'application/json', Cookie: 'sid=1' }, query: { page: ['2'] } },
    response: { ...base.response, headers: { 'content-type': 'application/json' } },
  });
  const rules: RedactRules = { headers: ['cookie'], query: ['key'], pointers: [] };
  const out = redactInteraction(interaction, rules);
  t.not(out.request.headers, interaction.request.headers, 'a header to redact: a copy');
  t.strictSame(out.request.headers, { accept: 'application/json', Cookie: REDACTED }, 'matched case-insensitively, order kept');
  t.equal(out.request.query, interaction.request.query, 'no parameter to redact: shared');
  t.equal(out.response.headers, interaction.response.headers, 'no header to redact: shared');
  t.equal(interaction.request.headers.Cookie, 'sid=1', 'the input keeps its secret');
  const again = redactInteraction(makeInteraction({ request: { ...base.request, query: { key: ['k1', 'k2'] } } }), rules);
  t.strictSame(again.request.query, { key: [REDACTED, REDACTED] }, 'the same rules object applied again still redacts');
});

t.test('parseRedactOption', async (t) => {
  const cases: Array<[string[], RedactRules]> = [
    [[], NONE],
    [['x-api-key'], { headers: ['x-api-key'], query: ['x-api-key'], pointers: [] }],
    [['/password', 'api_key', '/user/token'], { headers: ['api_key'], query: ['api_key'], pointers: ['/password', '/user/token'] }],
    [[' /a~1b '], { headers: [], query: [], pointers: ['/a~1b'] }],
  ];
  for (const [values, expected] of cases) t.strictSame(parseRedactOption(values), expected, JSON.stringify(values));
  t.equal(thrown(() => parseRedactOption([''])).code, 'MOCKDECK_ERR_CLI_USAGE', 'empty value');
  t.equal(thrown(() => parseRedactOption(['/a~2'])).code, 'MOCKDECK_ERR_CLI_USAGE', 'bad pointer escape');
});

t.test('mergeRedactRules unions without duplicates', async (t) => {
  const merged = mergeRedactRules(DEFAULT_REDACT_RULES, parseRedactOption(['cookie', 'x-key', '/p']), { ...NONE, pointers: ['/p'] });
  t.strictSame(merged, { headers: [...DEFAULT_REDACTED_HEADERS, 'x-key'], query: ['cookie', 'x-key'], pointers: ['/p'] });
});
