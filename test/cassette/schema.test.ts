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
