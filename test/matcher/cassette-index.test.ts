/**
 * The request-line key memo of CassetteIndex: a lookup given `requestLine`
 * hits exactly what the same lookup without it hits, and the memo stays
 * bounded. A probe below hands the same line with other parts on purpose:
 * getting the first key back is how a test sees that a line was remembered.
 */
import t from 'tap';
import { CassetteIndex, DEFAULT_MATCH_RULES, partsOfInteraction, type KeyParts, type MatchRules } from '../../src/matcher/index.js';
import { interaction } from '../helpers/cassettes.js';

const rules: MatchRules = { ...DEFAULT_MATCH_RULES, ignoreQuery: ['_ts'], redacted: { headers: [], query: ['api_key'], pointers: [] } };

const listed = (query: Record<string, string[]>) => interaction({ operationId: 'listPets', path: '/pets', pathParams: {}, query, body: [] });
const recorded = {
  pet1: interaction({ path: '/pets/1', pathParams: { petId: '1' } }),
  pet2: interaction({ path: '/pets/2', pathParams: { petId: '2' } }),
  limit5: listed({ limit: ['5'] }),
  keyed: listed({ api_key: ['[REDACTED]'], limit: ['5'] }),
};
const layers = [{ name: 'c', interactions: Object.values(recorded) }];

/** Live parts of a request: what decide() builds, with the line it would pass. */
function live(url: string, operationId: string, pathParams: Record<string, string> = {}): { parts: KeyParts; requestLine: string } {
  const u = new URL(url, 'http://x');
  const query: Record<string, string[]> = {};
  for (const [k, v] of u.searchParams) (query[k] ??= []).push(v);
  return { parts: { method: 'GET', operationId, path: u.pathname, pathParams, query, headers: {}, body: undefined, bodyEncoding: 'utf8' }, requestLine: `GET ${url}` };
}

const hitId = (index: CassetteIndex, parts: KeyParts, requestLine?: string): string | null => {
  const found = index.lookup(parts, requestLine === undefined ? {} : { requestLine });
  return found.kind === 'hit' ? found.interaction.id : null;
};

t.test('a lookup with requestLine hits what the same lookup without it hits', async (t) => {
  const cases: Array<[string, ReturnType<typeof live>, string | null]> = [
    ['plain path param', live('/pets/1', 'getPetById', { petId: '1' }), recorded.pet1.id],
    ['query', live('/pets?limit=5', 'listPets'), recorded.limit5.id],
    ['ignored query param', live('/pets?limit=5&_ts=1712', 'listPets'), recorded.limit5.id],
    ['another value of the ignored param', live('/pets?_ts=99&limit=5', 'listPets'), recorded.limit5.id],
    ['redacted query param with the real secret', live('/pets?limit=5&api_key=real-secret', 'listPets'), recorded.keyed.id],
    ['redacted and ignored together', live('/pets?api_key=other&_ts=3&limit=5', 'listPets'), recorded.keyed.id],
    ['a miss stays a miss', live('/pets?limit=6', 'listPets'), null],
  ];
  const memo = new CassetteIndex(layers, rules);
  const plain = new CassetteIndex(layers, rules);
  for (const [name, { parts, requestLine }, expected] of cases) {
    t.equal(hitId(plain, parts), expected, `${name}: without requestLine`);
    t.equal(hitId(memo, parts, requestLine), expected, `${name}: with requestLine, first time`);
    t.equal(hitId(memo, parts, requestLine), expected, `${name}: with requestLine, remembered`);
  }
});

t.test('the memo keeps at most KEY_MEMO_SIZE lines, oldest out first', async (t) => {
  const index = new CassetteIndex(layers, rules);
  const pet1 = partsOfInteraction(recorded.pet1);
  const pet2 = partsOfInteraction(recorded.pet2);
  const probe = 'GET /probe';
  t.equal(hitId(index, pet1, probe), recorded.pet1.id);
  t.equal(hitId(index, pet2, probe), recorded.pet1.id, 'the line was remembered (its first key answers)');
  for (let i = 1; i < CassetteIndex.KEY_MEMO_SIZE; i++) index.lookup(pet2, { requestLine: `GET /filler/${i}` });
  t.equal(hitId(index, pet2, probe), recorded.pet1.id, `still remembered with ${CassetteIndex.KEY_MEMO_SIZE} lines held`);
  index.lookup(pet2, { requestLine: 'GET /one-more' });
  t.equal(hitId(index, pet2, probe), recorded.pet2.id, 'one line more evicts the oldest');
});

t.test('lines longer than KEY_MEMO_LINE_MAX are not remembered', async (t) => {
  const index = new CassetteIndex(layers, rules);
  const pet1 = partsOfInteraction(recorded.pet1);
  const pet2 = partsOfInteraction(recorded.pet2);
  const atMax = `GET /${'a'.repeat(CassetteIndex.KEY_MEMO_LINE_MAX - 5)}`;
  const over = atMax + 'a';
  t.equal(atMax.length, CassetteIndex.KEY_MEMO_LINE_MAX);
  index.lookup(pet1, { requestLine: atMax });
  t.equal(hitId(index, pet2, atMax), recorded.pet1.id, 'a line of exactly the maximum is remembered');
  index.lookup(pet1, { requestLine: over });
  t.equal(hitId(index, pet2, over), recorded.pet2.id, 'a longer line is keyed afresh every time');
});
