// Build step: writes the cassette schema's validators as code next to the
// built schema module (see getValidators in schema.ts), so that a start of
// mockdeck loads them instead of compiling the schema.
//
//   node dist/src/cassette/generate-validators.js
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { CASSETTE_SCHEMA_PARTS, cassetteSchemaPath, compileValidators, GENERATED_VALIDATORS, newCassetteAjv, partRef, sha256 } from './schema.js';

// ajv ships CommonJS; its default export may arrive wrapped under ESM.
type StandaloneCode = (ajv: ReturnType<typeof newCassetteAjv>, refs: Record<string, string>) => string;
const standaloneCode = ((standaloneCodeModule as unknown as { default?: unknown }).default ?? standaloneCodeModule) as StandaloneCode;

const text = readFileSync(cassetteSchemaPath(), 'utf8');
const ajv = newCassetteAjv({ source: true });
compileValidators(ajv, JSON.parse(text) as Record<string, unknown>);
const code = standaloneCode(ajv, Object.fromEntries(CASSETTE_SCHEMA_PARTS.map((name) => [name, partRef(name)])));
const out = join(dirname(fileURLToPath(import.meta.url)), GENERATED_VALIDATORS);
writeFileSync(out, `${code}\nexports.schemaSha256 = ${JSON.stringify(sha256(text))};\n`);
