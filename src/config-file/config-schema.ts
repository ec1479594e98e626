import type { KeyLocation } from '../config.js';

/** Log levels accepted by `logLevel`, `--log-level` and `MOCKDECK_LOG_LEVEL`; `silent` turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One mock as written in the config file (after schema validation). */
export interface FileMock {
  name: string;
  spec: string;
  cassettes?: string[];
  port?: number;
  basePath?: string;
  /** YAML reads an unquoted 404 as a number; both spellings are accepted. */
  onMiss?: 'spec' | '404' | 404 | 'proxy';
  target?: string;
  /** Skip TLS certificate checks of an https target. */
  insecure?: boolean;
  access?: { apiKeys: string[]; in?: KeyLocation; name?: string };
  latency?: 'none' | 'recorded' | number;
  validateRequests?: boolean;
  match?: { headers?: string[]; ignoreQuery?: string[]; ignoreBodyPointers?: string[] };
}

/** The config file as written (after schema validation). */
export interface ConfigFile {
  mocks: FileMock[];
  cassettesDir?: string;
  host?: string;
  port?: number;
  admin?: { key: string };
  logLevel?: LogLevel;
}

// `description` doubles as the "must be ..." text of validation errors.
const KEY = { type: 'string', minLength: 1, description: 'a key written as a literal, env:NAME or sha256:<64 hex digits>' };
const PORT = { type: 'integer', minimum: 0, maximum: 65535, description: 'a TCP port from 0 to 65535 (0 picks a free one)' };
const NAMES = { type: 'array', items: { type: 'string', minLength: 1, description: 'a name' }, description: 'a list of names' };

const MOCK = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'spec'],
  description: 'a mapping describing one mock (name, spec, ...)',
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 63, description: 'lowercase letters, digits and single dashes, e.g. checkout-happy-path' },
    spec: { type: 'string', minLength: 1, description: 'the path of an OpenAPI document, relative to the config file' },
    cassettes: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[^/\\\\]+$', description: 'the name of a folder under cassettesDir' }, description: 'a non-empty list of cassette folder names (leave cassettes out to load every cassette)' },
    port: PORT,
    basePath: { type: 'string', pattern: '^(/[A-Za-z0-9._~!$&\'()*+,;=:@-]+)+$', description: 'a path prefix such as /checkout (starts with /, no trailing /)' },
    onMiss: { enum: ['spec', '404', 404, 'proxy'], description: 'one of spec, 404, proxy' },
    target: { type: 'string', minLength: 1, description: 'an absolute http(s) URL' },
    insecure: { type: 'boolean', description: 'true or false' },
    access: {
      type: 'object',
      additionalProperties: false,
      required: ['apiKeys'],
      description: 'a mapping with apiKeys (leave access out for a public mock)',
      properties: {
        apiKeys: { type: 'array', minItems: 1, items: KEY, description: 'a non-empty list of keys (leave access out for a public mock)' },
        in: { enum: ['header', 'query', 'bearer'], description: 'one of header, query, bearer' },
        name: { type: 'string', pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", description: 'a header or query parameter name, e.g. x-api-key' },
      },
    },
    latency: { anyOf: [{ enum: ['none', 'recorded'] }, { type: 'integer', minimum: 0 }], description: 'none, recorded, or a whole number of milliseconds' },
    validateRequests: { type: 'boolean', description: 'true or false' },
    match: {
      type: 'object',
      additionalProperties: false,
      description: 'a mapping with headers, ignoreQuery or ignoreBodyPointers',
      properties: { headers: NAMES, ignoreQuery: NAMES, ignoreBodyPointers: { type: 'array', items: { type: 'string', pattern: '^/', description: 'a JSON pointer starting with /' }, description: 'a list of JSON pointers' } },
    },
  },
} as const;

/** JSON Schema of `mockdeck.config.yaml`. Unknown keys are errors everywhere. */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['mocks'],
  description: 'a mapping with a mocks: list',
  properties: {
    mocks: { type: 'array', minItems: 1, items: MOCK, description: 'a non-empty list of mocks' },
    cassettesDir: { type: 'string', minLength: 1, description: 'the path of the folder holding one sub-folder per cassette' },
    host: { type: 'string', minLength: 1, description: 'an interface to listen on, e.g. 127.0.0.1' },
    port: PORT,
    admin: { type: 'object', additionalProperties: false, required: ['key'], description: 'a mapping with key', properties: { key: KEY } },
    logLevel: { enum: LOG_LEVELS, description: `one of ${LOG_LEVELS.join(', ')}` },
  },
} as const;
