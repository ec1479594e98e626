import t from 'tap';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { decodeBody, encodeBody, isJsonMediaType, isTextMediaType } from '../../src/cassette/index.js';

// A real 1x1 PNG: starts with 0x89, which is not valid UTF-8 on its own.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const JSON_TEXT = '{"z":1,"a":{"y":true,"b":null},"list":[3,2,1]}';

t.test('stores each kind of body in its reviewable form', async (t) => {
  const cases: Array<{ name: string; bytes: Buffer; contentType?: string; body: unknown; encoding: string }> = [
    { name: 'application/json as parsed JSON', bytes: Buffer.from(JSON_TEXT), contentType: 'application/json', body: JSON.parse(JSON_TEXT), encoding: 'json' },
    { name: '+json with parameters', bytes: Buffer.from('{"title":"x"}'), contentType: 'application/problem+json; charset=utf-8', body: { title: 'x' }, encoding: 'json' },
    { name: 'a JSON null body', bytes: Buffer.from('null'), contentType: 'application/json', body: null, encoding: 'json' },
    { name: 'json that does not parse, as text', bytes: Buffer.from('{"a":'), contentType: 'application/json', body: '{"a":', encoding: 'utf8' },
    { name: 'json with an integer beyond 2^53, as text', bytes: Buffer.from('{"id":12345678901234567890}'), contentType: 'application/json', body: '{"id":12345678901234567890}', encoding: 'utf8' },
    { name: 'json whose key order JS would change, as text', bytes: Buffer.from('{"b":1,"10":2}'), contentType: 'application/json', body: '{"b":1,"10":2}', encoding: 'utf8' },
    { name: 'the same with space before the colon, as text', bytes: Buffer.from('{"b":1, "10" :2}'), contentType: 'application/json', body: '{"b":1, "10" :2}', encoding: 'utf8' },
    { name: 'the same with the integer key written as \\u escapes, as text', bytes: Buffer.from('{"b":1,"\\u0031\\u0030":2}'), contentType: 'application/json', body: '{"b":1,"\\u0031\\u0030":2}', encoding: 'utf8' },
    { name: 'an integer-like key alone cannot reorder: JSON', bytes: Buffer.from('{"10":{"a":1}}'), contentType: 'application/json', body: { 10: { a: 1 } }, encoding: 'json' },
    { name: 'a number that overflows to Infinity, as text', bytes: Buffer.from('{"n":1e400}'), contentType: 'application/json', body: '{"n":1e400}', encoding: 'utf8' },
    { name: '2^53 + 1 (not a double), as text', bytes: Buffer.from('[9007199254740993]'), contentType: 'application/json', body: '[9007199254740993]', encoding: 'utf8' },
    { name: '2^53 and 2^60 (exact doubles): JSON', bytes: Buffer.from('[9007199254740992,1152921504606846976]'), contentType: 'application/json', body: [9007199254740992, 1152921504606846976], encoding: 'json' },
    { name: 'a big exponent that is exact enough: JSON', bytes: Buffer.from('{"n":1e300}'), contentType: 'application/json', body: { n: 1e300 }, encoding: 'json' },
    { name: 'a long run of digits inside a string only: JSON', bytes: Buffer.from('{"id":"12345678901234567890","n":12345678901234567890e-10}'), contentType: 'application/json', body: { id: '12345678901234567890', n: 1234567890.1234567 }, encoding: 'json' },
    { name: 'json text under text/plain stays text', bytes: Buffer.from('{"a":1}'), contentType: 'text/plain', body: '{"a":1}', encoding: 'utf8' },
    { name: 'text/plain with non-ASCII', bytes: Buffer.from('héllo ✓'), contentType: 'text/plain; charset=utf-8', body: 'héllo ✓', encoding: 'utf8' },
    { name: 'xml', bytes: Buffer.from('<a>1</a>'), contentType: 'application/xml', body: '<a>1</a>', encoding: 'utf8' },
    { name: '+xml', bytes: Buffer.from('<svg/>'), contentType: 'image/svg+xml', body: '<svg/>', encoding: 'utf8' },
    { name: 'javascript', bytes: Buffer.from('let a = 1;'), contentType: 'application/javascript', body: 'let a = 1;', encoding: 'utf8' },
    { name: 'form-urlencoded', bytes: Buffer.from('a=1&b=2'), contentType: 'application/x-www-form-urlencoded', body: 'a=1&b=2', encoding: 'utf8' },
    { name: 'no content-type, plain text', bytes: Buffer.from('ok\n'), body: 'ok\n', encoding: 'utf8' },
    { name: 'no content-type, control characters', bytes: Buffer.from('a\u0001b'), body: Buffer.from('a\u0001b').toString('base64'), encoding: 'base64' },
    { name: 'PNG', bytes: PNG, contentType: 'image/png', body: PNG.toString('base64'), encoding: 'base64' },
    { name: 'PNG mislabelled as text', bytes: PNG, contentType: 'text/plain', body: PNG.toString('base64'), encoding: 'base64' },
    { name: 'latin-1 bytes under text/plain', bytes: Buffer.from([0x63, 0x61, 0x66, 0xe9]), contentType: 'text/plain; charset=iso-8859-1', body: 'Y2Fm6Q==', encoding: 'base64' },
    { name: 'octet-stream that happens to be ASCII', bytes: Buffer.from('abc'), contentType: 'application/octet-stream', body: 'YWJj', encoding: 'base64' },
    { name: 'empty', bytes: Buffer.alloc(0), contentType: 'application/json', body: null, encoding: 'utf8' },
  ];
  for (const c of cases) {
    const stored = encodeBody(c.bytes, { contentType: c.contentType });
    t.same({ body: stored.body, bodyEncoding: stored.bodyEncoding, decodeFailed: stored.decodeFailed }, { body: c.body, bodyEncoding: c.encoding, decodeFailed: false }, c.name);
  }
});

t.test('JSON nested as deep as JSON.parse allows is checked without overflowing the stack', async (t) => {
  const depth = 200_000;
  const deep = (inner: string): Buffer => Buffer.from('['.repeat(depth) + inner + ']'.repeat(depth));
  const mixed = encodeBody(deep('{"b":1,"10":2}'), { contentType: 'application/json' });
  t.equal(mixed.bodyEncoding, 'utf8', 'an integer-like key beside another, 200 000 levels down: text');
  const tooDeep = encodeBody(deep('{"a":1}'), { contentType: 'application/json' });
  t.equal(tooDeep.bodyEncoding, 'utf8', 'too deep to serialize again as JSON: text, byte for byte');
  t.equal(tooDeep.body, deep('{"a":1}').toString('utf8'));
  const nested = (n: number): string => '['.repeat(n) + '{"a":1}' + ']'.repeat(n);
  t.equal(encodeBody(Buffer.from(nested(999)), { contentType: 'application/json' }).bodyEncoding, 'json', '1 000 levels (the object included): JSON');
  t.equal(encodeBody(Buffer.from(nested(1000)), { contentType: 'application/json' }).bodyEncoding, 'utf8', 'one more: text');
});

t.test('a JSON body keeps the key order upstream sent', async (t) => {
  const stored = encodeBody(Buffer.from(JSON_TEXT), { contentType: 'application/json' });
  t.strictSame(Object.keys(stored.body as object), ['z', 'a', 'list']);
  t.equal(decodeBody(stored).toString(), JSON_TEXT, 'replays the same compact text');
});

t.test('text and binary bodies replay byte-exact', async (t) => {
  for (const [name, bytes, contentType] of [
    ['PNG', PNG, 'image/png'],
    ['utf8 with BOM', Buffer.from('\ufeffhello'), 'text/plain'],
    ['invalid utf8', Buffer.from([0x61, 0xc3, 0x28]), 'text/plain'],
    ['all byte values', Buffer.from(Array.from({ length: 256 }, (_, i) => i)), undefined],
  ] as const) {
    const replayed = decodeBody(encodeBody(bytes, { contentType }));
    t.ok(replayed.equals(bytes), `${name}: ${replayed.toString('hex').slice(0, 40)}`);
  }
});

t.test('decodes content-encoding before storing', async (t) => {
  const json = Buffer.from(JSON_TEXT);
  const cases: Array<[string, Buffer, string]> = [
    ['gzip', gzipSync(json), 'gzip'],
    ['x-gzip', gzipSync(json), 'x-gzip'],
    ['br', brotliCompressSync(json), 'br'],
    ['deflate (zlib)', deflateSync(json), 'deflate'],
    ['deflate (raw, seen in the wild)', deflateRawSync(json), 'deflate'],
    ['gzip then br, undone in reverse', brotliCompressSync(gzipSync(json)), 'gzip, br'],
    ['case and identity', gzipSync(json), 'identity, GZIP'],
  ];
  for (const [name, bytes, contentEncoding] of cases) {
    const stored = encodeBody(bytes, { contentType: 'application/json', contentEncoding });
    t.same({ body: stored.body, bodyEncoding: stored.bodyEncoding, decodeFailed: stored.decodeFailed }, { body: JSON.parse(JSON_TEXT), bodyEncoding: 'json', decodeFailed: false }, name);
  }
  const png = encodeBody(gzipSync(PNG), { contentType: 'image/png', contentEncoding: 'gzip' });
  t.ok(decodeBody(png).equals(PNG), 'gzipped binary is stored decoded');
});

t.test('a malformed or unknown content-encoding keeps the raw bytes and says so', async (t) => {
  const gz = gzipSync(Buffer.from(JSON_TEXT));
  const truncated = gz.subarray(0, gz.length - 10);
  const cases: Array<[string, Buffer, string]> = [
    ['malformed gzip', Buffer.from('definitely not gzip'), 'gzip'],
    ['truncated gzip', truncated, 'gzip'],
    ['malformed br', Buffer.from([0xff, 0xff, 0xff, 0xff]), 'br'],
    ['malformed deflate', Buffer.from('not deflate at all'), 'deflate'],
    ['unknown coding', Buffer.from('zzz'), 'zstd'],
  ];
  for (const [name, bytes, contentEncoding] of cases) {
    let stored;
    try {
      stored = encodeBody(bytes, { contentType: 'application/json', contentEncoding });
    } catch (err) {
      t.fail(`${name} threw ${String(err)}`);
      continue;
    }
    t.same(stored, { body: bytes.toString('base64'), bodyEncoding: 'base64', decodeFailed: true }, name);
    t.ok(decodeBody(stored).equals(bytes), `${name}: raw bytes replay unchanged`);
  }
});

t.test('decodeBody', async (t) => {
  t.equal(decodeBody({ body: null, bodyEncoding: 'utf8' }).length, 0, 'no body is zero bytes');
  t.equal(decodeBody({ body: null, bodyEncoding: 'json' }).toString(), 'null', 'a JSON null stays a body');
  t.equal(decodeBody({ body: 'héllo', bodyEncoding: 'utf8' }).toString('hex'), '68c3a96c6c6f');
  t.equal(decodeBody({ body: 'aGk=', bodyEncoding: 'base64' }).toString(), 'hi');
  t.throws(() => decodeBody({ body: 5, bodyEncoding: 'base64' }), TypeError, 'a non-string base64 body is a bug, not bytes');
});

t.test('media type predicates', async (t) => {
  const table: Array<[string | undefined, boolean, boolean]> = [
    // contentType, isJson, isText
    ['application/json', true, true],
    ['Application/JSON; charset=utf-8', true, true],
    ['application/vnd.api+json', true, true],
    ['text/json', true, true],
    ['application/jsonx', false, false],
    ['text/html', false, true],
    ['text/csv', false, true],
    ['application/xml', false, true],
    ['application/atom+xml', false, true],
    ['text/javascript', false, true],
    ['application/javascript', false, true],
    ['application/x-www-form-urlencoded', false, true],
    ['application/x-ndjson', false, true],
    ['application/octet-stream', false, false],
    ['image/png', false, false],
    ['multipart/form-data; boundary=x', false, false],
    ['', false, false],
    [undefined, false, false],
  ];
  for (const [contentType, json, text] of table) {
    t.equal(isJsonMediaType(contentType), json, `isJsonMediaType(${String(contentType)})`);
    t.equal(isTextMediaType(contentType), text, `isTextMediaType(${String(contentType)})`);
  }
});
