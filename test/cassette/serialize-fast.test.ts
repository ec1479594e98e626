/**
 * serializeInteractionEntry is hand-written for speed; its output is a public
 * contract, so it is compared here, byte for byte, with the algorithm it
 * replaced (kept below as the reference): real cassettes, tables of odd
 * inputs and seeded random interactions.
 *
 * Inputs are data: what JSON.parse gives, plus undefined, holes, Dates, Buffers,
 * boxed primitives, functions and symbols as values, any JSON body (toJSON
 * methods included). Outside the bodies, not covered: an own `toJSON` method
 * (the old sorted copy kept it, so JSON.stringify called it), getters with side
 * effects and Proxies; interactions read from files or recorded never have them.
 */
import t, { type Test } from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseCassetteJson, serializeInteractionEntry, serializeOperationFile } from '../../src/cassette/index.js';
import { inFileOrder, ONE_LINE_BODY_CHARS, operationFileChunks } from '../../src/cassette/serialize.js';
import { resolveMockConfig } from '../../src/config.js';
import { buildInteraction } from '../../src/recorder/index.js';
import { redactionRules } from '../../src/server/mock-runtime.js';
import { loadSpec, SchemaValidator } from '../../src/spec/index.js';
import { exchange, PETSTORE } from '../alignment/helpers.js';
import type { Interaction, RecordedRequest, RecordedResponse } from '../../src/types.js';
import { fromRoot } from '../helpers/paths.js';
import { makeInteraction } from './fixtures.js';

// ---------------------------------------------------------------------------
// Reference: serializeInteractionEntry as it was, a sorted deep copy given to
// JSON.stringify with indentation. Do not "improve" it: it defines the output.

const BODY_SLOT = '\u0000mockdeck:body\u0000';
const BODY_SLOT_TEXT = JSON.stringify(BODY_SLOT);
const ENTRY_START = '{\n  "i": [\n';
const ENTRY_END = '\n  ]\n}';

function referenceEntry(interaction: Interaction): string {
  const { response } = interaction;
  const compact = response.bodyEncoding === 'json' ? JSON.stringify(response.body) : undefined;
  if (compact === undefined || compact.length < ONE_LINE_BODY_CHARS) return referenceIndented(interaction);
  const text = referenceIndented({ ...interaction, response: { ...response, body: BODY_SLOT } });
  const slot = text.lastIndexOf(BODY_SLOT_TEXT);
  return text.slice(0, slot) + compact + text.slice(slot + BODY_SLOT_TEXT.length);
}

function referenceIndented(interaction: Interaction): string {
  const text = JSON.stringify({ i: [sortInteraction(interaction)] }, null, 2);
  return text.slice(ENTRY_START.length, text.length - ENTRY_END.length);
}

function sortInteraction(interaction: Interaction): Record<string, unknown> {
  const { request, response, ...rest } = interaction;
  return sortTopLevel({ ...sortKeysDeep(rest), request: sortMessage(request), response: sortMessage(response) });
}

function sortMessage(message: RecordedRequest | RecordedResponse): Record<string, unknown> {
  const { body, ...rest } = message;
  return sortTopLevel({ ...sortKeysDeep(rest), body });
}

function sortTopLevel(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, value[key]]));
}

function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sortKeysDeep(record[key])])) as T;
}

const referenceFile = (operationId: string | null, interactions: Interaction[]): string =>
  operationFileChunks(operationId, interactions.map(referenceEntry)).join('');

// ---------------------------------------------------------------------------
// Helpers

/** Anything, typed as an interaction (the tables feed malformed ones too). */
const asInteraction = (value: unknown): Interaction => value as Interaction;

/** An object with these own properties, `__proto__` included (as JSON.parse makes it). */
const own = (entries: Array<[string, unknown]>): Record<string, unknown> => Object.fromEntries(entries);

function describe(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (v === undefined ? '<undefined>' : typeof v === 'function' ? '<function>' : v))?.slice(0, 400) ?? String(value);
  } catch {
    return String(value);
  }
}

/** What `serialize` makes of `interaction`: its text, or the kind of error it throws. */
function outcome(serialize: (interaction: Interaction) => string, interaction: Interaction): string {
  try {
    return serialize(interaction);
  } catch (err) {
    return `throws ${(err as Error).constructor.name}`;
  }
}

/** Compares many interactions, reporting only the mismatches (with their input) and a count. */
function allSame(t: Test, name: string, interactions: Iterable<[string, Interaction]>): void {
  let count = 0;
  let failures = 0;
  for (const [label, interaction] of interactions) {
    count++;
    const actual = outcome(serializeInteractionEntry, interaction);
    const expected = outcome(referenceEntry, interaction);
    if (actual === expected) continue;
    failures++;
    if (failures <= 5) t.equal(actual, expected, `${name}: ${label}: ${describe(interaction)}`);
  }
  t.equal(failures, 0, `${name}: ${count} interactions serialize as the reference does`);
  t.ok(count > 0, `${name}: cases were generated`);
}

/** An array of `make()` items whose compact JSON is at least `length` characters. */
function arrayOfLength(length: number, make: (i: number) => unknown): unknown[] {
  const items: unknown[] = [];
  let chars = 2;
  while (chars < length) {
    const item = make(items.length);
    chars += JSON.stringify([item]).length - 2 + (items.length > 0 ? 1 : 0);
    items.push(item);
  }
  return items;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_KEYS = [
  '__proto__', '', ' ', '!', '-', 'a', 'A', 'B', 'Z', '_', 'z', 'é', 'É', 'e\u0301', 'ß', 'ä', 'Ä', 'æ', 'ﬀ', '١',
  '\u00a0', '\uffff', '\u{1f600}', '\ud800', '\udc00x', '"quoted"', 'back\\slash', 'line\nbreak', 'tab\t', '\u0000', '\u001f',
  '\u007f', '\u2028', 'toJSON', 'constructor', 'hasOwnProperty', 'valueOf', 'length', 'body', 'request', 'response', 'headers',
  'status', 'id', '0', '1', '2', '9', '10', '01', '00', '-1', '-0', '1.5', '1e3', ' 1', '4294967294', '4294967295', '4294967296',
  '9007199254740993', 'content-type', 'Content-Type', 'x-request-id', 'set-cookie',
];
const ODD_STRINGS = [
  '', 'plain', 'with "quotes"', 'back\\slash', 'new\nline', '\r\n', '\t', '\u0000', '\u0008', '\u001f', '\u007f', '\u2028\u2029',
  'é', '\u{1f600}', '\ud800', 'x\udc00', '\udc00\ud800', '</script>', '\ufeff', BODY_SLOT, '0', 'null', '{}',
];
const NUMBERS = [0, -0, 1, -1, 42, 3.14, -2.5e-8, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, Number.MAX_VALUE, NaN, Infinity, -Infinity];
const ENCODINGS = ['json', 'utf8', 'base64'] as const;

class Gen {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = random(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
  /** Code units of any kind, lone surrogates included. */
  units(max: number): string {
    let text = '';
    for (let i = this.int(max + 1); i > 0; i--) {
      const range = this.int(4);
      text += String.fromCharCode(range === 0 ? this.int(0x20) : range === 1 ? 0x20 + this.int(0x5f) : range === 2 ? 0xd7f0 + this.int(0x820) : this.int(0x10000));
    }
    return text;
  }
  word(): string {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.';
    let text = '';
    for (let i = 1 + this.int(10); i > 0; i--) text += letters[this.int(letters.length)];
    return text;
  }
  key(): string {
    const kind = this.int(10);
    return kind < 4 ? this.pick(ODD_KEYS) : kind < 6 ? String(this.int(kind === 4 ? 20 : 5_000_000_000)) : kind < 8 ? this.word() : this.units(4);
  }
  string(): string {
    const kind = this.int(4);
    return kind === 0 ? this.pick(ODD_STRINGS) : kind === 1 ? this.units(12) : this.word();
  }
  leaf(): unknown {
    switch (this.int(9)) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick(NUMBERS);
      case 3:
        return (this.next() - 0.5) * 10 ** this.int(12);
      case 4:
        return this.int(1000);
      case 5:
        // Left out of objects, null in arrays (rarely a function or a symbol, which JSON treats alike).
        return this.chance(0.9) ? undefined : this.chance(0.5) ? () => 1 : Symbol('s');
      case 6:
        return this.chance(0.8) ? this.string() : new Date(Date.UTC(2026, 0, 1) + this.int(1e9));
      default:
        return this.string();
    }
  }
  value(depth: number): unknown {
    if (depth <= 0 || this.chance(0.45)) return this.leaf();
    return this.chance(0.5) ? this.array(depth - 1) : this.object(depth - 1);
  }
  array(depth: number): unknown[] {
    const length = this.int(6);
    const items: unknown[] = [];
    for (let i = 0; i < length; i++) {
      if (this.chance(0.1)) items.length = i + 1; // a hole
      else items[i] = this.value(depth);
    }
    return items;
  }
  object(depth: number): Record<string, unknown> {
    const record: Record<string, unknown> = this.chance(0.1) ? (Object.create(null) as Record<string, unknown>) : {};
    for (let i = this.int(7); i > 0; i--) {
      const key = this.key();
      let value = this.value(depth);
      // Not data: the old copy kept such a method and JSON.stringify called it (see the file comment).
      if (key === 'toJSON' && typeof value === 'function') value = 'toJSON';
      Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return record;
  }
  headers(): Record<string, unknown> {
    const headers: Array<[string, unknown]> = [];
    for (let i = this.int(6); i > 0; i--) {
      const kind = this.int(10);
      const value = kind < 6 ? this.string() : kind < 9 ? Array.from({ length: this.int(4) }, () => this.string()) : this.value(2);
      headers.push([this.chance(0.5) ? this.pick(ODD_KEYS) : this.word().toLowerCase(), value]);
    }
    return own(headers);
  }
  body(encoding: string): unknown {
    if (encoding === 'json') return this.chance(0.9) ? this.value(5) : this.pick([undefined, null, 0, '', [], {}]);
    if (encoding === 'base64') return Buffer.from(this.units(30)).toString('base64');
    return this.chance(0.3) ? null : this.string();
  }
  /** `normal` most of the time, else missing, undefined or anything. */
  field(entries: Array<[string, unknown]>, key: string, normal: () => unknown): void {
    const kind = this.int(20);
    if (kind === 0) return;
    entries.push([key, kind === 1 ? undefined : kind === 2 ? this.value(2) : normal()]);
  }
  extras(entries: Array<[string, unknown]>): void {
    if (this.chance(0.7)) return;
    for (let i = 1 + this.int(3); i > 0; i--) entries.push([this.key(), this.value(3)]);
  }
  /** An object from entries in random order; a later duplicate key wins, as in JSON.parse. */
  record(entries: Array<[string, unknown]>): Record<string, unknown> {
    return own(this.shuffle(entries));
  }
  request(): Record<string, unknown> {
    const entries: Array<[string, unknown]> = [];
    const encoding = this.pick(ENCODINGS);
    this.field(entries, 'method', () => this.pick(['GET', 'POST', 'PUT', 'DELETE', 'QUERY']));
    this.field(entries, 'path', () => `/${this.word()}/${this.string()}`);
    this.field(entries, 'pathParams', () => own(Array.from({ length: this.int(3) }, () => [this.key(), this.string()])));
    this.field(entries, 'query', () => own(Array.from({ length: this.int(4) }, () => [this.key(), Array.from({ length: this.int(3) }, () => this.string())])));
    this.field(entries, 'headers', () => this.headers());
    this.field(entries, 'body', () => this.body(encoding));
    this.field(entries, 'bodyEncoding', () => encoding);
    this.extras(entries);
    return this.record(entries);
  }
  response(): Record<string, unknown> {
    const entries: Array<[string, unknown]> = [];
    const encoding = this.pick(ENCODINGS);
    this.field(entries, 'status', () => this.pick([200, 201, 204, 301, 404, 500, 599]));
    this.field(entries, 'headers', () => this.headers());
    this.field(entries, 'body', () => this.body(encoding));
    // The response's encoding is always there: serializeInteractionEntry reads it first.
    entries.push(['bodyEncoding', this.chance(0.95) ? encoding : this.leaf()]);
    this.extras(entries);
    return this.record(entries);
  }
  alignment(): Record<string, unknown> {
    const entries: Array<[string, unknown]> = [];
    this.field(entries, 'ok', () => this.chance(0.5));
    this.field(entries, 'findings', () =>
      Array.from({ length: this.int(4) }, () => {
        const finding: Array<[string, unknown]> = [];
        this.field(finding, 'pointer', () => `/body/${this.string()}`);
        this.field(finding, 'message', () => this.string());
        this.extras(finding);
        return this.record(finding);
      }),
    );
    this.extras(entries);
    return this.record(entries);
  }
  interaction(): Interaction {
    const entries: Array<[string, unknown]> = [];
    this.field(entries, 'id', () => this.word());
    this.field(entries, 'recordedAt', () => new Date(Date.UTC(2026, 0, 1) + this.int(1e10)).toISOString());
    this.field(entries, 'durationMs', () => this.pick(NUMBERS));
    this.field(entries, 'operationId', () => (this.chance(0.2) ? null : this.word()));
    entries.push(['request', this.request()], ['response', this.response()]);
    this.field(entries, 'alignment', () => this.alignment());
    this.extras(entries);
    return asInteraction(this.record(entries));
  }
}

/** A JSON body whose compact text is exactly `length` characters. */
const bodyOfLength = (length: number): string[] => ['x'.repeat(length - 4)];

function withResponse(patch: Record<string, unknown>, base: Interaction = makeInteraction()): Interaction {
  return asInteraction({ ...base, response: { ...base.response, ...patch } });
}

function withRequest(patch: Record<string, unknown>, base: Interaction = makeInteraction()): Interaction {
  return asInteraction({ ...base, request: { ...base.request, ...patch } });
}

// ---------------------------------------------------------------------------
// Tests

t.test('every interaction of the cassettes in the repository, and their files as written', async (t) => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json') && entry.name !== 'cassette.json') files.push(path);
    }
  };
  walk(fromRoot('cassettes'));
  t.ok(files.length >= 5, `found ${files.length} operation files`);
  const cases: Array<[string, Interaction]> = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const parsed = parseCassetteJson(text, file) as { operationId: string | null; interactions: Interaction[] };
    parsed.interactions.forEach((interaction, i) => cases.push([`${basename(file)}#${i}`, interaction]));
    t.equal(serializeOperationFile(parsed), referenceFile(parsed.operationId, parsed.interactions), `${basename(file)}: same file text as the reference`);
    t.equal(serializeOperationFile(parsed), text, `${basename(file)}: same text as on disk`);
  }
  allSame(t, 'cassettes', cases);
});

t.test('a table of odd interactions', async (t) => {
  const base = makeInteraction();
  const protoBody = JSON.parse('{"__proto__":{"polluted":true},"b":1,"a":[{"__proto__":null}]}') as unknown;
  const indexKeys = own(['b', '10', '2', '0', '01', '-1', '1.5', '4294967294', '4294967295', 'a', ''].map((key) => [key, key]));
  const localeKeys = own(['a', 'B', 'é', 'e', 'Z', 'z', '_', 'É', 'ä', 'ß', '\u{1f600}', '\uffff', '\ud800', 'A'].map((key, i) => [key, i]));
  const table: Array<[string, Interaction]> = [
    ['fixture', base],
    ['json request body', withRequest({ body: { zeta: 1, alpha: { z: 0, a: 1 } }, bodyEncoding: 'json' })],
    ['base64 response body', withResponse({ body: 'iVBORw0KGgo=', bodyEncoding: 'base64' })],
    ['utf8 response body with escapes', withResponse({ body: 'line\n"two"\t\u0000\ud800 end', bodyEncoding: 'utf8' })],
    ['null utf8 bodies', withResponse({ body: null, bodyEncoding: 'utf8' })],
    ['null json body', withResponse({ body: null, bodyEncoding: 'json' })],
    ['primitive json bodies', withResponse({ body: -0, bodyEncoding: 'json' }, withRequest({ body: 'text', bodyEncoding: 'json' }))],
    ['NaN and Infinity in a body', withResponse({ body: [NaN, Infinity, -Infinity, 1e21, 5e-324] })],
    ['empty bodies', withResponse({ body: {} }, withRequest({ body: [], bodyEncoding: 'json' }))],
    ['undefined json body', withResponse({ body: undefined, bodyEncoding: 'json' })],
    ['missing bodies', asInteraction({ ...base, request: { ...base.request, body: undefined }, response: (({ body: _, ...rest }) => rest)(base.response) })],
    ['function and symbol bodies', withResponse({ body: () => 1 }, withRequest({ body: Symbol('s') }))],
    ['body with toJSON that looks at its key', withResponse({ body: { toJSON: (key: string) => ({ key }) } }, withRequest({ body: { toJSON: () => undefined } }))],
    ['Date bodies and Date fields', asInteraction({ ...withResponse({ body: new Date(0) }), recordedAt: new Date(0), extra: { when: new Date(1) } })],
    ['Buffer body', withResponse({ body: Buffer.from('hi') })],
    ['__proto__ in a body', withResponse({ body: protoBody }, withRequest({ body: protoBody, bodyEncoding: 'json' }))],
    ['__proto__ in headers, query and at the top', asInteraction({ ...own([['__proto__', { x: 1 }]]), ...withRequest({ headers: own([['__proto__', ['a', 'b']], ['a', '1']]), query: own([['__proto__', []]]) }) })],
    ['__proto__ in a response and the alignment', asInteraction({ ...withResponse(own([['__proto__', 'p']])), alignment: own([['__proto__', 1], ['ok', false], ['findings', []]]) })],
    ['array-index keys', withResponse({ headers: indexKeys }, withRequest({ query: indexKeys, pathParams: indexKeys }))],
    ['array-index keys at the top and in messages', asInteraction({ ...withResponse({ 0: 'zero', 10: 'ten', 2: 'two' }), 1: 'one', '01': 'oh-one' })],
    ['keys that sort differently by locale', withResponse({ headers: localeKeys }, withRequest({ headers: localeKeys }))],
    ['empty key and whitespace keys', withResponse({ headers: own([['', ''], [' ', ' '], ['\t', '\t']]) })],
    ['repeated headers and empty arrays', withResponse({ headers: { 'set-cookie': ['a=1', 'b=2'], vary: [], accept: 'x' } })],
    ['nested arrays and objects in headers', withRequest({ headers: { a: [['x', ['y']], { z: { b: 1, a: [] } }], b: {} } })],
    ['undefined values and holes outside bodies', withRequest({ headers: { a: undefined, b: ['1', undefined, '3'], c: [, 'x'] as unknown[] }, query: { only: undefined } })],
    ['all-undefined objects become {}', asInteraction({ ...base, alignment: { ok: undefined, findings: undefined }, id: undefined })],
    ['functions and symbols outside bodies', asInteraction({ ...withRequest({ headers: { f: () => 1, s: Symbol('s'), list: [() => 1, Symbol('t')] } }), [Symbol('k')]: 1 })],
    ['a toJSON key that is data', withRequest({ headers: { toJSON: 'not a function', a: '1' } })],
    ['boxed values and a Map outside bodies', asInteraction({ ...base, extra: { s: new String('ab'), n: new Number(1), m: new Map([[1, 2]]) } })],
    ['null-prototype objects', withRequest({ headers: Object.assign(Object.create(null) as object, { b: '2', a: '1', __proto__: 'x' }) })],
    ['findings with extra keys', asInteraction({ ...base, alignment: { ok: false, findings: [{ pointer: '/body/a', message: 'm', z: 1, a: [] }, { message: 'only' }] } })],
    ['unknown keys around request and response', asInteraction({ ...base, quux: 1, aaa: [1], requestz: 'r', responsa: 'x', '': null })],
    ['unknown keys in a message, before and after body', withResponse({ a: 1, bodyA: 2, 'body ': 3, boda: 4, zz: { b: 1, a: 2 } })],
    ['no request/response body key', withResponse({ bodyEncoding: 'json' }, asInteraction({ ...base, request: { method: 'GET' } }))],
    ['request and response that are not records', asInteraction({ ...base, request: 'ab', response: { bodyEncoding: 'utf8', body: 'x' } })],
    [
      'wrong types everywhere',
      asInteraction({
        id: 7,
        recordedAt: null,
        durationMs: '3',
        operationId: [],
        request: { method: {}, path: [], pathParams: 'x', query: null, headers: 5, body: 1, bodyEncoding: 'utf8' },
        response: { status: '200', headers: [], body: [], bodyEncoding: 'base64' },
        alignment: [],
      }),
    ],
    ['many keys in one object', withRequest({ headers: own(new Gen(3).shuffle([...ODD_KEYS, ...ODD_STRINGS]).map((key, i) => [key, String(i)])) })],
    ['request and response inherited, not own', asInteraction(Object.assign(Object.create(base) as object, { id: 'own' }))],
    ['function body with a toJSON that looks at its key', withResponse({ body: Object.assign(() => 1, { toJSON: (key: string) => ({ key }) }) })],
    ['the body slot text elsewhere (small body)', withResponse({ headers: { x: BODY_SLOT }, body: BODY_SLOT })],
    ['deep nesting outside bodies', asInteraction({ ...base, extra: JSON.parse(`${'{"a":['.repeat(40)}1${']}'.repeat(40)}`) as unknown })],
    ['deep nesting in a body', withResponse({ body: JSON.parse(`${'[{"b":'.repeat(40)}1${'}]'.repeat(40)}`) as unknown })],
  ];
  for (const [name, interaction] of table) t.equal(outcome(serializeInteractionEntry, interaction), outcome(referenceEntry, interaction), name);
  t.equal(
    serializeOperationFile({ operationId: 'x', interactions: table.map(([, interaction]) => interaction) }),
    referenceFile('x', table.map(([, interaction]) => interaction)),
    'the whole table as one operation file',
  );
});

t.test('big JSON response bodies around the one-line threshold', async (t) => {
  const base = makeInteraction();
  const gen = new Gen(7);
  const bigRandom = (): unknown[] => arrayOfLength(ONE_LINE_BODY_CHARS + 100, () => gen.value(4));
  const million = arrayOfLength(1024 * 1024, (i) => ({ id: i, name: `pet-${i}`, tags: ['a', 'b'] }));
  const table: Array<[string, Interaction]> = [
    ['one below', withResponse({ body: bodyOfLength(ONE_LINE_BODY_CHARS - 1) })],
    ['exactly at', withResponse({ body: bodyOfLength(ONE_LINE_BODY_CHARS) })],
    ['one above', withResponse({ body: bodyOfLength(ONE_LINE_BODY_CHARS + 1) })],
    ['1 MB array', withResponse({ body: million, headers: { 'content-type': 'application/json', 'x-z': 'last' } })],
    ['random nested', withResponse({ body: bigRandom() })],
    ['object body with __proto__', withResponse({ body: own([['__proto__', bodyOfLength(ONE_LINE_BODY_CHARS)], ['a', 1]]) })],
    ['a big string as a JSON body', withResponse({ body: 'y'.repeat(ONE_LINE_BODY_CHARS) })],
    ['keys sorting before body in the response', withResponse({ body: million, '': 1, '0': 'zero', A: 'a', bod: [] })],
    ['keys sorting after body in the response and at the top', asInteraction({ ...withResponse({ body: million, zzz: BODY_SLOT }), zzz: BODY_SLOT })],
    ['the body slot text in the big body itself', withResponse({ body: [BODY_SLOT, ...bodyOfLength(ONE_LINE_BODY_CHARS)] })],
    ['the body slot text in a header after it', withResponse({ body: million, headers: { a: BODY_SLOT } })],
    ['the body slot text in the request', withResponse({ body: million }, withRequest({ body: BODY_SLOT, bodyEncoding: 'utf8', headers: { x: BODY_SLOT } }))],
    ['big request body stays indented', withRequest({ body: million.slice(0, 3000), bodyEncoding: 'json' })],
    ['big text and base64 bodies stay strings', withResponse({ body: 'z'.repeat(2 * ONE_LINE_BODY_CHARS), bodyEncoding: 'base64' }, withRequest({ body: 'w\n'.repeat(ONE_LINE_BODY_CHARS), bodyEncoding: 'utf8' }))],
    ['big body with toJSON', withResponse({ body: { toJSON: (key: string) => [key, ...bodyOfLength(ONE_LINE_BODY_CHARS)] } })],
    ['big body, no request body key', withResponse({ body: million }, asInteraction({ ...base, request: { method: 'GET' } }))],
    // Numbers count for little in the writer's first estimate of a body's length, keys whose value JSON drops for much.
    ['many numbers, over the threshold', withResponse({ body: arrayOfLength(20_000, (i) => 100_000 + i) })],
    ['many numbers, under it once compact, over it indented', withResponse({ body: arrayOfLength(10_000, (i) => 10_000 + (i % 50_000)) })],
    ['long keys whose values JSON drops', withResponse({ body: Object.fromEntries(arrayOfLength(2_000, (i) => [`${'k'.repeat(60)}${i}`, i % 2 ? undefined : () => i]) as Array<[string, unknown]>) })],
  ];
  for (const [name, interaction] of table) t.equal(outcome(serializeInteractionEntry, interaction), outcome(referenceEntry, interaction), name);
  const text = serializeInteractionEntry(table[1]![1]);
  t.ok(text.includes(`"body": ${JSON.stringify(bodyOfLength(ONE_LINE_BODY_CHARS))},\n`), 'at the threshold the body is on one line');
  t.notOk(serializeInteractionEntry(table[0]![1]).includes('"body": ["'), 'below it the body is indented');
});

t.test('seeded random interactions', async (t) => {
  const seeds = [1, 2, 3, 42, 2026];
  for (const seed of seeds) {
    const gen = new Gen(seed);
    allSame(t, `seed ${seed}`, (function* () {
      for (let i = 0; i < 1000; i++) yield [`#${i}`, gen.interaction()] as [string, Interaction];
    })());
  }
  const gen = new Gen(99);
  const interactions = Array.from({ length: 50 }, () => gen.interaction());
  t.equal(serializeOperationFile({ operationId: null, interactions }), referenceFile(null, interactions), 'random interactions as one operation file');
});

t.test('seeded random interactions with big bodies', async (t) => {
  const gen = new Gen(5);
  allSame(t, 'big', (function* () {
    for (let i = 0; i < 12; i++) {
      const interaction = gen.interaction() as unknown as Record<string, Record<string, unknown>>;
      const items = arrayOfLength(ONE_LINE_BODY_CHARS - 50 + gen.int(100), () => gen.value(4));
      yield [`#${i}`, asInteraction({ ...interaction, response: { ...interaction.response, body: items, bodyEncoding: 'json' } })] as [string, Interaction];
    }
  })());
});

t.test('what the reference cannot serialize, neither can it', async (t) => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const table: Array<[string, Interaction]> = [
    ['a BigInt in a header', withRequest({ headers: { n: 1n } })],
    ['a BigInt in a body', withResponse({ body: [1n] })],
    ['a BigInt in a utf8 body', withRequest({ body: 1n })],
    ['a cycle in a body', withResponse({ body: cyclic })],
    ['a cycle in a text body', withRequest({ body: cyclic })],
    ['no request', asInteraction({ ...makeInteraction(), request: undefined })],
  ];
  for (const [name, interaction] of table) {
    const errorOf = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        return (err as Error).constructor.name;
      }
      return 'no error';
    };
    const expected = errorOf(() => referenceEntry(interaction));
    t.not(expected, 'no error', `${name}: the reference throws`);
    t.equal(errorOf(() => serializeInteractionEntry(interaction)), expected, `${name}: same kind of error`);
  }
});

t.test('interactions as the recorder builds them are in file order, and serialize as the reference does', async (t) => {
  const spec = await loadSpec(PETSTORE);
  const ctx = { spec, redaction: redactionRules(resolveMockConfig({ spec: PETSTORE, redact: ['x-api-key', '/owner/token'] }), spec), validator: new SchemaValidator() };
  const headers = { 'x-trace': 'a', Authorization: 'Bearer s3cret', accept: 'application/json', 'X-Api-Key': 'k', 'content-type': 'application/json' };
  const built = [
    exchange({ path: '/pets/7', query: { verbose: ['1'], b: ['2'], a: ['3', '4'] }, requestHeaders: headers, json: { name: 'Rex', id: 7, tag: 'dog' } }),
    exchange({ path: '/pets/7', status: 418, json: { zeta: 1, alpha: { y: 2, x: 1 } } }), // drift: findings with a pointer and a message
    exchange({ method: 'POST', path: '/pets', requestJson: { owner: { token: 'hide', name: 'Ann' }, name: 'Rex' }, status: 201, json: { id: 8, name: 'Rex' } }),
    exchange({ path: '/pets/7', responseHeaders: { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'], Date: 'Wed, 02 Dec 2026 10:00:00 GMT' }, responseBody: Buffer.from('plain text') }),
    exchange({ path: '/pets/7', responseHeaders: { 'content-type': 'image/png' }, responseBody: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]) }),
    exchange({ path: '/nowhere', json: { '10': 'ten', '2': 'two', b: 1, a: 2 } }), // undocumented; integer-like keys in the body
  ].map((e) => buildInteraction(e, ctx));
  t.ok(built.every(inFileOrder), 'every one takes the JSON.stringify path');
  t.equal(JSON.stringify(built[0]!.request.headers), JSON.stringify({ accept: 'application/json', authorization: '[REDACTED]', 'content-type': 'application/json', 'x-api-key': '[REDACTED]', 'x-trace': 'a' }), 'headers sorted and redacted');
  t.equal(JSON.stringify(built[1]!.response.body), '{"zeta":1,"alpha":{"y":2,"x":1}}', 'a body keeps the order the upstream sent');
  t.equal(JSON.stringify(built[3]!.response.headers), JSON.stringify({ 'content-type': 'text/plain', date: 'Wed, 02 Dec 2026 10:00:00 GMT', 'set-cookie': ['[REDACTED]', '[REDACTED]'] }), 'response headers lower-cased, sorted and redacted');
  allSame(t, 'built by the recorder', built.map((i, n): [string, Interaction] => [`exchange ${n}`, i]));
  const unordered = { ...built[0]!, alignment: undefined, id: built[0]!.id } as unknown as Record<string, unknown>;
  delete unordered['alignment'];
  unordered['alignment'] = built[0]!.alignment;
  t.notOk(inFileOrder(unordered as unknown as Interaction), 'a key out of order takes the walk');
  t.notOk(inFileOrder({ ...built[0]!, recordedAt: new Date() as unknown as string }), 'so does a value JSON would write through toJSON');
  allSame(t, 'out of order', [['alignment last', unordered as unknown as Interaction]]);
});
