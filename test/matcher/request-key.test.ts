import t from 'tap';
import { canonicalRequest, requestKey, DEFAULT_MATCH_RULES, type KeyParts, type MatchRules } from '../../src/matcher/index.js';
import { canonicalText } from '../../src/matcher/request-key.js';
import { CassetteIndex } from '../../src/matcher/index.js';
import { interaction } from '../helpers/cassettes.js';

const base: KeyParts = { method: 'GET', operationId: 'getPetById', path: '/pets/7', pathParams: { petId: '7' }, query: {}, headers: {}, body: undefined, bodyEncoding: 'utf8' };
const rules = (over: Partial<MatchRules> = {}): MatchRules => ({ ...DEFAULT_MATCH_RULES, ...over });

// Pinned keys: if one of these changes, every existing cassette is orphaned.
// Change them only together with a cassette formatVersion bump and a migration.
const PINNED: Array<[string, KeyParts, string]> = [
  ['plain GET by operation', base, '7YoeC6JbXvjht2o2gS6uK8X9IcRv_juO'],
  ['query sorted, repeats kept', { ...base, operationId: 'listPets', path: '/pets', pathParams: {}, query: { tag: ['b', 'a'], limit: ['5'] } }, 's2v0Ia_hqTu7bKfByuhtv3i5gvT5wcT6'],
  ['JSON body canonicalized', { ...base, method: 'POST', operationId: 'createPet', path: '/pets', pathParams: {}, body: { name: 'Rex', tags: ['x'] }, bodyEncoding: 'json' }, 'ELNDoUkLxsSPAwoaWMegeWnieCsn0pto'],
  ['outside the spec', { ...base, operationId: null, path: '/health', pathParams: {} }, 'CqZH88k_zTvb3mLyNjZQCkFnfvlkl0MV'],
  ['binary body', { ...base, method: 'PUT', body: 'iVBORw0KGgo=', bodyEncoding: 'base64' }, 'aaKXTJZ0spnWwRCqFYcbpy9QDh89U32K'],
];

t.test('pinned keys do not drift', async (t) => {
  for (const [name, parts, pinned] of PINNED) t.equal(requestKey(parts, DEFAULT_MATCH_RULES), pinned, name);
});

const same: Array<[string, KeyParts, KeyParts, MatchRules?]> = [
  ['JSON key order', { ...base, body: { a: 1, b: { c: 2, d: 3 } }, bodyEncoding: 'json' }, { ...base, body: { b: { d: 3, c: 2 }, a: 1 }, bodyEncoding: 'json' }],
  ['query key order', { ...base, query: { a: ['1'], b: ['2'] } }, { ...base, query: { b: ['2'], a: ['1'] } }],
  ['method case', base, { ...base, method: 'get' }],
  ['headers ignored by default', { ...base, headers: { 'x-trace': '1' } }, { ...base, headers: { 'x-trace': '2' } }],
  ['ignored query param', { ...base, query: { _ts: ['1'] } }, { ...base, query: { _ts: ['2'] } }, rules({ ignoreQuery: ['_ts'] })],
  ['ignored body pointer', { ...base, body: { id: 1, at: 'x' }, bodyEncoding: 'json' }, { ...base, body: { id: 1, at: 'y' }, bodyEncoding: 'json' }, rules({ ignoreBodyPointers: ['/at'] })],
  ['redacted query matches the real secret', { ...base, query: { api_key: ['[REDACTED]'] } }, { ...base, query: { api_key: ['real-secret'] } }, rules({ redacted: { headers: [], query: ['api_key'], pointers: [] } })],
  ['redacted body pointer matches the real secret', { ...base, body: { user: 'a', password: '[REDACTED]' }, bodyEncoding: 'json' }, { ...base, body: { user: 'a', password: 'hunter2' }, bodyEncoding: 'json' }, rules({ redacted: { headers: [], query: [], pointers: ['/password'] } })],
];
const different: Array<[string, KeyParts, KeyParts, MatchRules?]> = [
  ['path param', base, { ...base, pathParams: { petId: '8' } }],
  ['method', base, { ...base, method: 'DELETE' }],
  ['repeated query order kept', { ...base, query: { t: ['a', 'b'] } }, { ...base, query: { t: ['b', 'a'] } }],
  ['body value', { ...base, body: { a: 1 }, bodyEncoding: 'json' }, { ...base, body: { a: 2 }, bodyEncoding: 'json' }],
  ['array order in body', { ...base, body: [1, 2], bodyEncoding: 'json' }, { ...base, body: [2, 1], bodyEncoding: 'json' }],
  ['listed header', { ...base, headers: { 'x-tenant': 'a' } }, { ...base, headers: { 'x-tenant': 'b' } }, rules({ headers: ['x-tenant'] })],
  ['no body vs empty JSON object', base, { ...base, body: {}, bodyEncoding: 'json' }],
];

t.test('equal requests key alike', async (t) => {
  for (const [name, a, b, r] of same) t.equal(requestKey(a, r ?? DEFAULT_MATCH_RULES), requestKey(b, r ?? DEFAULT_MATCH_RULES), name);
});
t.test('different requests key apart', async (t) => {
  for (const [name, a, b, r] of different) t.not(requestKey(a, r ?? DEFAULT_MATCH_RULES), requestKey(b, r ?? DEFAULT_MATCH_RULES), name);
});

t.test('index lookup is a hash hit and explains misses', async (t) => {
  const index = new CassetteIndex([{ name: 'c', interactions: [interaction({ query: { limit: ['5'] } }), interaction({ path: '/pets/2', pathParams: { petId: '2' } })] }], DEFAULT_MATCH_RULES);
  t.equal(index.size, 2);
  t.equal(index.lookup({ ...base, path: '/pets/1', pathParams: { petId: '1' }, query: { limit: ['5'] } }).kind, 'hit');
  const miss = index.lookup({ ...base, path: '/pets/1', pathParams: { petId: '1' }, query: { limit: ['6'] } });
  t.equal(miss.kind, 'miss');
  if (miss.kind !== 'miss') return;
  const near = miss.nearMisses();
  t.equal(near.length, 2);
  t.same(near[0]?.reasons, ['query.limit: expected ["5"], got ["6"]'], 'closest first, with the dimension that differed');
  t.ok((near[1]?.distance ?? 0) > (near[0]?.distance ?? 0));
});

// canonicalText is written out by hand for speed; it must stay byte-equal to the
// JSON.stringify of canonicalRequest that the pinned keys were made from.
t.test('the hand-written canonical text equals JSON.stringify of the canonical request', async (t) => {
  const reference = (parts: KeyParts, r: MatchRules): string => {
    const c = canonicalRequest(parts, r);
    return JSON.stringify([parts.method.toUpperCase(), c.target, c.query, c.body ?? null, c.headers]);
  };
  const tricky = 'quote " backslash \\ newline \n tab \t nul \u0000 lone surrogate \ud800 emoji 🔑 é';
  const cases: Array<[string, KeyParts, MatchRules?]> = [
    ...PINNED.map(([name, parts]): [string, KeyParts] => [name, parts]),
    ...same.flatMap(([name, a, b, r]): Array<[string, KeyParts, MatchRules?]> => [[`${name} (a)`, a, r], [`${name} (b)`, b, r]]),
    ...different.flatMap(([name, a, b, r]): Array<[string, KeyParts, MatchRules?]> => [[`${name} (a)`, a, r], [`${name} (b)`, b, r]]),
    ['escapes in every string', { ...base, method: 'get', operationId: tricky, pathParams: { [tricky]: tricky, a: 'x' }, query: { [tricky]: [tricky, ''], z: [] } }],
    ['escapes outside the spec', { ...base, operationId: null, path: `/${tricky}` }],
    ['several path params, unsorted', { ...base, pathParams: { z: '1', a: '2', m: '3' } }],
    ['empty query list and repeated values', { ...base, query: { a: [], b: ['1', '1', '2'] } }],
    ['every query name ignored', { ...base, query: { a: ['1'] } }, rules({ ignoreQuery: ['a'] })],
    ['redacted and ignored query together', { ...base, query: { a: ['1'], k: ['secret', 'two'], z: ['2'] } }, rules({ ignoreQuery: ['a'], redacted: { headers: [], query: ['k'], pointers: [] } })],
    ['listed headers: missing, array, redacted, redacted but empty', { ...base, headers: { 'x-a': ['1', '2'], 'x-s': 'secret', 'x-e': '' } }, rules({ headers: ['x-a', 'x-b', 'x-s', 'x-e'], redacted: { headers: ['x-s', 'x-e'], query: [], pointers: [] } })],
    ['JSON null body', { ...base, body: null, bodyEncoding: 'json' }],
    ['JSON scalar body', { ...base, body: tricky, bodyEncoding: 'json' }],
    ['nested JSON body with undefined members', { ...base, body: { b: [1, { d: undefined, c: tricky }], a: null }, bodyEncoding: 'json' }],
    ['utf8 body', { ...base, body: tricky, bodyEncoding: 'utf8' }],
    ['JSON body with ignored and redacted pointers', { ...base, body: { a: 1, s: 'x', n: { t: 2 } }, bodyEncoding: 'json' }, rules({ ignoreBodyPointers: ['/n/t'], redacted: { headers: [], query: [], pointers: ['/s'] } })],
  ];
  for (const [name, parts, r] of cases) t.equal(canonicalText(parts, r ?? DEFAULT_MATCH_RULES), reference(parts, r ?? DEFAULT_MATCH_RULES), name);
});

t.test('replay order: equal keys in recorded order, then the last again; reset rewinds every key', async (t) => {
  const first = interaction({ body: { n: 'first' } });
  const second = interaction({ body: { n: 'second' } });
  const other = interaction({ path: '/pets/2', pathParams: { petId: '2' } });
  const index = new CassetteIndex([{ name: 'c', interactions: [first, second, other] }], DEFAULT_MATCH_RULES);
  const one = { ...base, path: '/pets/1', pathParams: { petId: '1' } };
  const two = { ...base, path: '/pets/2', pathParams: { petId: '2' } };
  const ids = (parts: KeyParts, n: number): string[] => Array.from({ length: n }, () => {
    const found = index.lookup(parts);
    return found.kind === 'hit' ? found.interaction.id : 'miss';
  });
  t.same(ids(one, 4), [first.id, second.id, second.id, second.id]);
  t.same(ids(two, 2), [other.id, other.id]);
  index.reset();
  t.same(ids(one, 3), [first.id, second.id, second.id], 'rewound');
  t.same(ids({ ...one, headers: { 'x-any': '1' } }, 1), [second.id], 'one key, one position, whatever else the request carries');
  index.reset();
  const viaHeader = index.lookup(one, { only: 'c' });
  t.equal(viaHeader.kind === 'hit' ? viaHeader.interaction.id : 'miss', first.id, 'x-mockdeck-cassette reads the same position');
  t.same(ids(one, 1), [second.id], 'and moves it on');
});

t.test('size counts what the merged index answers with, also after add()', async (t) => {
  const index = new CassetteIndex([
    { name: 'a', interactions: [interaction(), interaction(), interaction({ path: '/pets/2', pathParams: { petId: '2' } })] },
    { name: 'b', interactions: [interaction()] },
  ], DEFAULT_MATCH_RULES);
  t.equal(index.size, 2, '/pets/1 answered by b (1), /pets/2 by a (1)');
  index.add('b', interaction());
  t.equal(index.size, 3);
  index.add('a', interaction());
  t.equal(index.size, 3, 'a key held by a later layer does not count the earlier one');
  index.add('a', interaction({ path: '/pets/3', pathParams: { petId: '3' } }));
  t.equal(index.size, 4);
  index.add('c', interaction({ path: '/pets/2', pathParams: { petId: '2' } }));
  t.equal(index.size, 4, 'a new layer taking over a key replaces its count');
});

t.test('a miss explains itself against the recordings there were when it missed', async (t) => {
  const index = new CassetteIndex([{ name: 'c', interactions: [interaction({ query: { limit: ['5'] } })] }], DEFAULT_MATCH_RULES);
  const miss = index.lookup({ ...base, path: '/pets/1', pathParams: { petId: '1' }, query: { limit: ['6'] } });
  index.add('c', interaction({ query: { limit: ['7'] } }));
  t.equal(miss.kind === 'miss' ? miss.nearMisses().length : -1, 1);
});
