import t from 'tap';
import { requestKey, DEFAULT_MATCH_RULES, type KeyParts, type MatchRules } from '../../src/matcher/index.js';
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
