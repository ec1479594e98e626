import t from 'tap';
import { bundleSchema, type SpecVersion } from '../../src/spec/index.js';
import { independentAjv } from '../e2e-spec/support/independent-schema.js';

const doc = {
  components: {
    schemas: {
      Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, owner: { $ref: '#/components/schemas/Owner' } } },
      Owner: { type: 'object', properties: { email: { type: 'string', format: 'email', nullable: true } } },
      Category: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Category' } } } },
      Alias: { $ref: '#/components/schemas/Pet' },
      'Weird name/with~chars': { type: 'integer' },
      'Look alike': { type: 'string' },
      Look_alike: { type: 'boolean' },
      A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
      B: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' } } },
    },
  },
};

// [what, version, input schema, expected output]
const TABLE: Array<[string, SpecVersion, unknown, unknown]> = [
  ['absent schema means anything', '3.0', undefined, true],
  ['boolean schema stays', '3.1', false, false],
  ['nullable scalar becomes a type array', '3.0', { type: 'string', nullable: true }, { type: ['string', 'null'] }],
  ['nullable enum admits null', '3.0', { type: 'string', enum: ['a', 'b'], nullable: true }, { type: ['string', 'null'], enum: ['a', 'b', null] }],
  ['nullable enum already holding null is not doubled', '3.0', { type: 'string', enum: ['a', null], nullable: true }, { type: ['string', 'null'], enum: ['a', null] }],
  ['nullable without type wraps in anyOf', '3.0', { allOf: [{ type: 'object' }], nullable: true }, { anyOf: [{ allOf: [{ type: 'object' }] }, { type: 'null' }] }],
  ['nullable: false is dropped', '3.0', { type: 'integer', nullable: false }, { type: 'integer' }],
  ['2.0 x-nullable', '2.0', { type: 'number', 'x-nullable': true }, { type: ['number', 'null'] }],
  ['3.1 leaves nullable alone (not a 3.1 keyword)', '3.1', { type: ['string', 'null'] }, { type: ['string', 'null'] }],
  ['boolean exclusiveMinimum true', '3.0', { type: 'number', minimum: 5, exclusiveMinimum: true }, { type: 'number', exclusiveMinimum: 5 }],
  ['boolean exclusiveMinimum false', '3.0', { type: 'number', minimum: 5, exclusiveMinimum: false }, { type: 'number', minimum: 5 }],
  ['boolean exclusiveMaximum true', '2.0', { type: 'integer', maximum: 9, exclusiveMaximum: true }, { type: 'integer', exclusiveMaximum: 9 }],
  ['exclusiveMinimum true without minimum is dropped', '3.0', { type: 'number', exclusiveMinimum: true }, { type: 'number' }],
  ['3.1 numeric exclusiveMinimum stays', '3.1', { type: 'number', exclusiveMinimum: 5 }, { type: 'number', exclusiveMinimum: 5 }],
  ['type file (2.0)', '2.0', { type: 'file' }, { type: 'string', format: 'binary' }],
  ['tuple items (3.0) become prefixItems', '3.0', { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] }, { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] }],
  ['conversion reaches nested keywords', '3.0',
    { type: 'object', properties: { a: { type: 'string', nullable: true } }, additionalProperties: { type: 'integer', nullable: true }, items: { type: 'boolean', nullable: true }, oneOf: [{ type: 'number', minimum: 0, exclusiveMinimum: true }] },
    { type: 'object', properties: { a: { type: ['string', 'null'] } }, additionalProperties: { type: ['integer', 'null'] }, items: { type: ['boolean', 'null'] }, oneOf: [{ type: 'number', exclusiveMinimum: 0 }] }],
  ['data keywords are not schemas: example, default and enum keep $ref and nullable keys', '3.0',
    { type: 'object', example: { $ref: '#/nowhere', nullable: true }, default: { nullable: true }, enum: [{ $ref: 'x' }] },
    { type: 'object', example: { $ref: '#/nowhere', nullable: true }, default: { nullable: true }, enum: [{ $ref: 'x' }] }],
  ['a property named like a keyword is a property', '3.0',
    { type: 'object', properties: { nullable: { type: 'boolean' }, $ref: { type: 'string' } } },
    { type: 'object', properties: { nullable: { type: 'boolean' }, $ref: { type: 'string' } } }],
  ['ref is rewritten into $defs, transitively', '3.0', { $ref: '#/components/schemas/Pet' }, {
    $ref: '#/$defs/components_schemas_Pet',
    $defs: {
      components_schemas_Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, owner: { $ref: '#/$defs/components_schemas_Owner' } } },
      components_schemas_Owner: { type: 'object', properties: { email: { type: ['string', 'null'], format: 'email' } } },
    },
  }],
  ['recursion stays a $ref, defined once', '3.0', { $ref: '#/components/schemas/Category' }, {
    $ref: '#/$defs/components_schemas_Category',
    $defs: { components_schemas_Category: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/components_schemas_Category' } } } } },
  }],
  ['mutual recursion', '3.1', { $ref: '#/components/schemas/A' }, {
    $ref: '#/$defs/components_schemas_A',
    $defs: {
      components_schemas_A: { type: 'object', properties: { b: { $ref: '#/$defs/components_schemas_B' } } },
      components_schemas_B: { type: 'object', properties: { a: { $ref: '#/$defs/components_schemas_A' } } },
    },
  }],
  ['a ref to a ref', '3.0', { $ref: '#/components/schemas/Alias' }, {
    $ref: '#/$defs/components_schemas_Alias',
    $defs: {
      components_schemas_Alias: { $ref: '#/$defs/components_schemas_Pet' },
      components_schemas_Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, owner: { $ref: '#/$defs/components_schemas_Owner' } } },
      components_schemas_Owner: { type: 'object', properties: { email: { type: ['string', 'null'], format: 'email' } } },
    },
  }],
  ['escaped pointer tokens resolve', '3.1', { $ref: '#/components/schemas/Weird name~1with~0chars' }, {
    $ref: '#/$defs/components_schemas_Weird_name_1with_0chars',
    $defs: { components_schemas_Weird_name_1with_0chars: { type: 'integer' } },
  }],
  ['3.0 ignores $ref siblings', '3.0', { $ref: '#/components/schemas/Weird name~1with~0chars', description: 'x', nullable: true }, {
    $ref: '#/$defs/components_schemas_Weird_name_1with_0chars',
    $defs: { components_schemas_Weird_name_1with_0chars: { type: 'integer' } },
  }],
  ['3.1 keeps $ref siblings', '3.1', { $ref: '#/components/schemas/Weird name~1with~0chars', description: 'x' }, {
    description: 'x',
    $ref: '#/$defs/components_schemas_Weird_name_1with_0chars',
    $defs: { components_schemas_Weird_name_1with_0chars: { type: 'integer' } },
  }],
  ['names that sanitize alike keep separate definitions', '3.1', { anyOf: [{ $ref: '#/components/schemas/Look alike' }, { $ref: '#/components/schemas/Look_alike' }] }, {
    anyOf: [{ $ref: '#/$defs/components_schemas_Look_alike' }, { $ref: '#/$defs/components_schemas_Look_alike_' }],
    $defs: { components_schemas_Look_alike: { type: 'string' }, components_schemas_Look_alike_: { type: 'boolean' } },
  }],
  ['external (non-#) refs are left as written', '3.1', { $ref: 'https://example.com/s.json' }, { $ref: 'https://example.com/s.json' }],
];

t.test('schema normalization table', async (t) => {
  const before = JSON.stringify(doc);
  for (const [what, version, input, expected] of TABLE) {
    const out = bundleSchema(doc, input === undefined ? undefined : structuredClone(input), version);
    t.same(out, expected, what);
    if (typeof out === 'object' && !JSON.stringify(out).includes('https://example.com')) {
      t.doesNotThrow(() => independentAjv().compile(out), `${what}: compiles as 2020-12`);
    }
  }
  t.equal(JSON.stringify(doc), before, 'the spec document is never mutated');
});

t.test('the input schema object is not mutated either', async (t) => {
  const input = { type: 'string', nullable: true, minimum: 1, exclusiveMinimum: true };
  const copy = structuredClone(input);
  bundleSchema(doc, input, '3.0');
  t.same(input, copy);
});

t.test('converted recursive schemas validate deep data and reject bad leaves', async (t) => {
  const schema = bundleSchema(doc, { $ref: '#/components/schemas/Category' }, '3.0');
  const validate = independentAjv().compile(schema as object);
  t.ok(validate({ name: 'a', children: [{ name: 'b', children: [{ name: 'c', children: [] }] }] }));
  t.notOk(validate({ name: 'a', children: [{ name: 'b', children: [{ name: 7 }] }] }));
});
