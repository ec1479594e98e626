import t from 'tap';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { cassetteSchemaPath, serializeCassetteMeta, serializeOperationFile } from '../../src/cassette/index.js';
import { fromRoot } from '../helpers/paths.js';
import { makeInteraction } from './fixtures.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

t.test('the schema is found at the package root, from the compiled module', async (t) => {
  t.equal(cassetteSchemaPath(), fromRoot('cassette.schema.json'));
});

t.test('the schema file is a valid 2020-12 schema that accepts both file kinds and rejects others', async (t) => {
  const schema = JSON.parse(readFileSync(fromRoot('cassette.schema.json'), 'utf8')) as Record<string, unknown>;
  t.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  t.ok((schema.$defs as Record<string, unknown>).cassetteMeta && (schema.$defs as Record<string, unknown>).operationFile, 'both kinds under $defs');
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const meta = JSON.parse(serializeCassetteMeta({ name: 'p', spec: null, target: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', formatVersion: 1 }));
  const ops = JSON.parse(serializeOperationFile({ operationId: null, interactions: [makeInteraction({ operationId: null })] }));
  t.ok(validate(meta), 'cassette.json');
  t.ok(validate(ops), '_unmatched.json');
  t.notOk(validate({ operationId: 'x' }), 'an operation file without interactions');
  t.notOk(validate({ ...meta, formatVersion: 2 }), 'another formatVersion');
});

t.test('the validators generated at build time are those of this schema, and judge as the compiled ones do', async (t) => {
  const { createRequire } = await import('node:module');
  const { CASSETTE_SCHEMA_PARTS, compileValidators, GENERATED_VALIDATORS, newCassetteAjv, sha256 } = await import('../../src/cassette/schema.js');
  const text = readFileSync(cassetteSchemaPath(), 'utf8');
  const generated = createRequire(import.meta.url)(`../../src/cassette/${GENERATED_VALIDATORS}`) as Record<string, ((v: unknown) => boolean) & { errors?: Array<{ instancePath: string; keyword: string }> | null }> & { schemaSha256: string };
  t.equal(generated.schemaSha256, sha256(text), 'generated from the schema file as it is now (npm run build regenerates them)');
  const compiled = compileValidators(newCassetteAjv(), JSON.parse(text) as Record<string, unknown>);
  const interaction = makeInteraction();
  const values: Array<[string, unknown]> = [
    ['interaction', interaction],
    ['interaction', { ...interaction, id: 7 }],
    ['interaction', { ...interaction, recordedAt: 'yesterday' }],
    ['interaction', { ...interaction, extra: true }],
    ['interaction', { ...interaction, response: { ...interaction.response, bodyEncoding: 'hex' } }],
    ['operationFile', { operationId: 'getPetById', interactions: [interaction] }],
    ['operationFile', { operationId: 'getPetById', interactions: [{ ...interaction, request: null }] }],
    ['cassetteMeta', { name: 'p', spec: null, target: 'https://staging.example.com', createdAt: '2026-11-24T10:00:00.000Z', updatedAt: '2026-11-24T10:00:00.000Z', formatVersion: 1 }],
    ['cassetteMeta', { name: 'p', spec: null, target: 'https://user:pw@staging.example.com/path', createdAt: 'x', updatedAt: 'y', formatVersion: 1 }],
  ];
  t.same(Object.keys(generated).filter((k) => k !== 'schemaSha256').sort(), [...CASSETTE_SCHEMA_PARTS].sort(), 'one validator per part');
  for (const [part, value] of values) {
    const fromBuild = generated[part]!;
    const fromSchema = compiled[part as keyof typeof compiled];
    const verdicts = [fromBuild(value), fromSchema(value)];
    const firstError = (errors: Array<{ instancePath: string; keyword: string }> | null | undefined) => (errors?.[0] ? `${errors[0].instancePath} ${errors[0].keyword}` : null);
    t.same([verdicts[0], firstError(fromBuild.errors)], [verdicts[1], firstError(fromSchema.errors)], `${part}: ${JSON.stringify(value).slice(0, 60)}`);
  }
});
