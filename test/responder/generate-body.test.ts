import t from 'tap';
import { generateValue, seedFrom } from '../../src/responder/index.js';
import { bundleSchema, SchemaValidator, type SpecVersion } from '../../src/spec/index.js';
import { independentAjv } from '../e2e-spec/support/independent-schema.js';

/** Components the table's schemas refer to; bundled the way the spec engine bundles them. */
const doc = {
  components: {
    schemas: {
      Category: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, children: { type: 'array', maxItems: 3, items: { $ref: '#/components/schemas/Category' } } } },
      Node: { type: 'object', required: ['value', 'next'], properties: { value: { type: 'integer' }, next: { anyOf: [{ $ref: '#/components/schemas/Node' }, { type: 'null' }] } } },
      Node30: { type: 'object', required: ['value', 'next'], properties: { value: { type: 'integer' }, next: { nullable: true, allOf: [{ $ref: '#/components/schemas/Node30' }] } } },
      NewPet: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 40 }, tag: { type: 'string' } } },
      Pet: { allOf: [{ $ref: '#/components/schemas/NewPet' }, { type: 'object', required: ['id'], properties: { id: { type: 'integer', format: 'int64', minimum: 1 } } }] },
      Card: { type: 'object', required: ['kind', 'last4'], properties: { kind: { const: 'card' }, last4: { type: 'string', pattern: '^[0-9]{4}$' } } },
      Transfer: { type: 'object', required: ['kind', 'iban'], properties: { kind: { const: 'transfer' }, iban: { type: 'string', minLength: 15, maxLength: 34 } } },
    },
  },
};

// [what, dialect, schema]
const TABLE: Array<[string, SpecVersion, unknown]> = [
  ['allOf merges required parts', '3.1', { $ref: '#/components/schemas/Pet' }],
  ['allOf with inline parts', '3.1', { allOf: [{ type: 'object', required: ['a'], properties: { a: { type: 'string' } } }, { type: 'object', required: ['b'], properties: { b: { type: 'integer', minimum: 3, maximum: 3 } } }] }],
  ['oneOf: exactly one branch', '3.1', { oneOf: [{ $ref: '#/components/schemas/Card' }, { $ref: '#/components/schemas/Transfer' }] }],
  ['oneOf of disjoint types', '3.1', { oneOf: [{ type: 'string', maxLength: 3 }, { type: 'integer', minimum: 10 }] }],
  ['anyOf', '3.1', { anyOf: [{ type: 'string', format: 'email' }, { type: 'integer', maximum: -1 }] }],
  ['string formats', '3.1', {
    type: 'object',
    required: ['email', 'uuid', 'dateTime', 'date', 'time', 'uri', 'ipv4', 'ipv6', 'hostname'],
    properties: {
      email: { type: 'string', format: 'email' }, uuid: { type: 'string', format: 'uuid' }, dateTime: { type: 'string', format: 'date-time' },
      date: { type: 'string', format: 'date' }, time: { type: 'string', format: 'time' }, uri: { type: 'string', format: 'uri' },
      ipv4: { type: 'string', format: 'ipv4' }, ipv6: { type: 'string', format: 'ipv6' }, hostname: { type: 'string', format: 'hostname' },
    },
  }],
  ['OpenAPI number formats', '3.0', {
    type: 'object',
    required: ['i32', 'i64', 'f', 'd', 'b'],
    properties: { i32: { type: 'integer', format: 'int32' }, i64: { type: 'integer', format: 'int64' }, f: { type: 'number', format: 'float' }, d: { type: 'number', format: 'double' }, b: { type: 'string', format: 'byte' } },
  }],
  ['enums and const', '3.1', { type: 'object', required: ['s', 'n', 'c'], properties: { s: { type: 'string', enum: ['a', 'b', 'c'] }, n: { type: 'integer', enum: [2, 4, 8] }, c: { const: 'fixed' } } }],
  ['integer bounds', '3.1', { type: 'integer', minimum: 5, maximum: 7 }],
  ['exclusive bounds (2020-12)', '3.1', { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }],
  ['exclusive bounds (3.0 booleans)', '3.0', { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 3, exclusiveMaximum: true }],
  ['multipleOf', '3.1', { type: 'integer', multipleOf: 7, minimum: 1, maximum: 100 }],
  ['string length', '3.1', { type: 'string', minLength: 5, maxLength: 6 }],
  ['pattern', '3.1', { type: 'string', pattern: '^[A-Z]{3}-[0-9]{3}$' }],
  ['array bounds and uniqueness', '3.1', { type: 'array', minItems: 2, maxItems: 4, uniqueItems: true, items: { type: 'integer', minimum: 0, maximum: 9 } }],
  ['required properties with additionalProperties: false', '3.1', { type: 'object', additionalProperties: false, required: ['a', 'b'], properties: { a: { type: 'string' }, b: { type: 'boolean' }, c: { type: 'number' } } }],
  ['minProperties on a map', '3.1', { type: 'object', minProperties: 2, additionalProperties: { type: 'integer', minimum: 0 } }],
  ['type arrays with null', '3.1', { type: 'object', required: ['a', 'b'], properties: { a: { type: ['string', 'null'] }, b: { type: ['integer', 'null'], minimum: 1 } } }],
  ['3.0 nullable', '3.0', { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string', nullable: true }, b: { type: 'string', enum: ['x'], nullable: true } } }],
  ['recursive tree (bounded depth)', '3.1', { type: 'array', items: { $ref: '#/components/schemas/Category' } }],
  ['recursion that is required must end in null', '3.1', { $ref: '#/components/schemas/Node' }],
  ['3.0 recursion through nullable allOf', '3.0', { $ref: '#/components/schemas/Node30' }],
  ['nested arrays of refs', '3.1', { type: 'object', required: ['pets'], properties: { pets: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Pet' } } } }],
];

const SEEDS = Array.from({ length: 24 }, (_v, i) => seedFrom(`/seed/${i}`));

t.test('generated values validate against their schema (independent Ajv2020 + ajv-formats)', async (t) => {
  const validator = new SchemaValidator();
  for (const [what, version, raw] of TABLE) {
    const schema = bundleSchema(doc, structuredClone(raw), version);
    const validate = independentAjv().compile(schema as object);
    const failures: string[] = [];
    for (const seed of SEEDS) {
      const value = generateValue(schema, seed, validator);
      if (!validate(value)) failures.push(`seed ${seed}: ${JSON.stringify(value)} ${JSON.stringify(validate.errors?.slice(0, 2))}`);
    }
    t.same(failures, [], `${what}: valid for ${SEEDS.length} seeds`);
  }
});

t.test('generation is deterministic per seed and varies across seeds', async (t) => {
  const validator = new SchemaValidator();
  const schema = bundleSchema(doc, { $ref: '#/components/schemas/Pet' }, '3.1');
  const seed = seedFrom('GET /pets/7');
  t.same(generateValue(schema, seed, validator), generateValue(schema, seed, new SchemaValidator()), 'same seed, same value');
  const distinct = new Set(SEEDS.map((s) => JSON.stringify(generateValue(schema, s, validator))));
  t.ok(distinct.size >= SEEDS.length - 1, `${distinct.size} distinct values for ${SEEDS.length} seeds`);
});

t.test('seedFrom is stable (FNV-1a) so bodies survive restarts', async (t) => {
  t.equal(seedFrom(''), 0x811c9dc5);
  t.equal(seedFrom('a'), 0xe40c292c);
  t.not(seedFrom('GET /pets/1'), seedFrom('GET /pets/2'));
});

t.test('an unsatisfiable schema gives a best effort, not a throw', async (t) => {
  const validator = new SchemaValidator();
  t.doesNotThrow(() => generateValue({ type: 'integer', minimum: 5, maximum: 1 }, 1, validator));
  t.doesNotThrow(() => generateValue({ type: 'string', pattern: '(?<=a)b' }, 1, validator));
});
