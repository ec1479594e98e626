import t from 'tap';
import { fileNameForOperation } from '../../src/cassette/index.js';

const HASHED = /^(.*)-([0-9a-f]{10})\.json$/;

t.test('plain, already-safe ids keep their name', async (t) => {
  for (const id of ['getPetById', 'pets.list', 'list_pets-v2', 'A1']) t.equal(fileNameForOperation(id), `${id}.json`, id);
  t.equal(fileNameForOperation(null), '_unmatched.json', 'no operation');
});

t.test('ids that need changing get a readable stem and a hash', async (t) => {
  const table: Array<[string, string]> = [
    // id, expected stem
    ['GET /pets/{id}', 'GET__pets__id_'],
    ['café', 'caf_'],
    ['a/b', 'a_b'],
    ['..', '__'],
    ['.hidden', '_hidden'],
    ['trailing.', 'trailing_'],
    ['', 'op'],
    ['cassette', 'cassette'],
    ['Cassette', 'Cassette'],
    ['_unmatched', '_unmatched'],
    ['CON', 'CON'],
    ['nul.txt', 'nul.txt'],
    ['looks-hashed-0123456789', 'looks-hashed-0123456789'],
    ['x'.repeat(200), 'x'.repeat(69)],
  ];
  for (const [id, stem] of table) {
    const name = fileNameForOperation(id);
    const match = HASHED.exec(name);
    t.ok(match, `${JSON.stringify(id)} -> ${name} carries a hash`);
    t.equal(match?.[1], stem, `${JSON.stringify(id)} stem`);
  }
});

t.test('names are stable, safe, never reserved, and never collide', async (t) => {
  const ids = [
    'getPet', 'get pet', 'get_pet', 'get/pet', 'get\\pet', 'get:pet', 'get*pet', 'get?pet', 'get"pet', 'get<pet>', 'get|pet',
    'GET /pets', 'GET_/pets', 'GET__pets', 'über', 'uber', '_ber', '🐶', '🐱', '', ' ', '.', '..', '...', 'cassette', 'CASSETTE',
    '_unmatched', '_UNMATCHED', 'con', 'aux', 'lpt1', 'a'.repeat(80), 'a'.repeat(81), 'a'.repeat(300), `${'a'.repeat(300)}b`,
    // an id that looks exactly like the hashed name of another must not take its file
    fileNameForOperation('get pet').replace(/\.json$/, ''),
    fileNameForOperation('🐶').replace(/\.json$/, ''),
  ];
  const seen = new Map<string, string>();
  for (const id of ids) {
    const name = fileNameForOperation(id);
    t.equal(fileNameForOperation(id), name, `${JSON.stringify(id)} is stable`);
    t.match(name, /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.json$/, `${JSON.stringify(id)} -> ${name} is safe and not hidden`);
    t.ok(name.length <= 85, `${name} is short`);
    t.notOk(['cassette.json', '_unmatched.json'].includes(name.toLowerCase()), `${name} is not reserved`);
    const other = seen.get(name);
    t.equal(other, undefined, `${JSON.stringify(id)} and ${JSON.stringify(other)} share ${name}`);
    seen.set(name, id);
  }
});
