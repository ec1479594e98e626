import t from 'tap';
import { checkRefs, collectRefs, hasExternalRefs } from '../../src/spec/check-refs.js';
import { isMockdeckError } from '../../src/index.js';

const doc = (): Record<string, unknown> => ({
  openapi: '3.1.0',
  paths: {
    '/pets': { get: { responses: { 200: { content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Pet' } } } } } } } },
    '/pets/{id}': { get: { responses: { 200: { $ref: '#/components/responses/OnePet' } } } },
  },
  components: {
    schemas: { Pet: { type: 'object', properties: { tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } } } }, Tag: { type: 'string' } },
    responses: { OnePet: { description: 'one', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } },
  },
});

t.test('collectRefs: each distinct $ref once, in document order', async (t) => {
  t.same([...collectRefs(doc())], ['#/components/schemas/Pet', '#/components/responses/OnePet', '#/components/schemas/Tag']);
  t.same([...collectRefs({ $ref: 7, a: [{ $ref: 'other.yaml#/X' }, null, 'x'] })], ['other.yaml#/X'], 'a non-string $ref is not a ref');
  t.equal(hasExternalRefs(doc()), false);
  t.equal(hasExternalRefs({ a: [{ $ref: 'other.yaml#/X' }] }), true);
});

t.test('checkRefs: a whole document of good refs passes', async (t) => {
  t.doesNotThrow(() => checkRefs('pets.yaml', doc()));
});

// Regression guard: refs are checked once per distinct target, but the error
// must still name where the first broken one stands, as before.
t.test('checkRefs: a broken $ref is reported at start with the pointer of its first use', async (t) => {
  const broken = doc();
  ((broken['components'] as Record<string, Record<string, unknown>>)['schemas'] as Record<string, unknown>)['Tag'] = undefined;
  delete ((broken['components'] as Record<string, Record<string, unknown>>)['schemas'] as Record<string, unknown>)['Tag'];
  const paths = broken['paths'] as Record<string, unknown>;
  (paths['/pets/{id}'] as Record<string, Record<string, unknown>>)['get']!['parameters'] = [{ $ref: '#/components/parameters/Id~1x' }];
  const err = (() => {
    try {
      checkRefs('pets.yaml', broken);
      return null;
    } catch (e) {
      return e;
    }
  })();
  t.ok(isMockdeckError(err));
  t.equal((err as { code?: string }).code, 'MOCKDECK_ERR_SPEC_REF');
  t.match((err as Error).message, /pets\.yaml#\/paths\/~1pets~1\{id\}\/get\/parameters\/0\/\$ref: \$ref "#\/components\/parameters\/Id~1x" does not resolve/);
});

t.test('checkRefs: the first broken $ref in document order wins when several are', async (t) => {
  const broken = { a: { b: { $ref: '#/nope/two' } }, c: [{ $ref: '#/nope/one' }], d: { $ref: '#/nope/one' } };
  t.throws(() => checkRefs('x.json', broken), { code: 'MOCKDECK_ERR_SPEC_REF', message: /x\.json#\/a\/b\/\$ref: \$ref "#\/nope\/two"/ });
});
