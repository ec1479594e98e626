import t from 'tap';
import { asciiJsonText } from '../../src/spec/ascii-json.js';
import { parseDocumentBytes } from '../../src/spec/parse-document.js';

// The one-byte JSON path must give exactly what JSON.parse of the UTF-8 text gives.
t.test('asciiJsonText: same value as the UTF-8 text, as a one-byte string', async (t) => {
  const table: Array<[string, Buffer]> = [
    ['pure ASCII', Buffer.from('{"a":[1,2,{"b":"c"}]}')],
    ['accented letters', Buffer.from('{"name":"Zoë","city":"Zürich"}')],
    ['astral characters (surrogate pairs)', Buffer.from('{"emoji":"🐶🐱","x":"a😀b"}')],
    ['line and paragraph separators', Buffer.from('{"s":"a\u2028b\u2029c"}')],
    ['invalid UTF-8 becomes U+FFFD as in toString', Buffer.concat([Buffer.from('{"bad":"a'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('z"}')])],
    ['a run of non-ASCII across a 64 KiB chunk edge', Buffer.from(`{"pad":"${'x'.repeat(65_530)}","s":"${'é'.repeat(20)}","t":"ü"}`)],
    ['non-ASCII right after an escaped quote', Buffer.from('{"q":"\\"ö\\""}')],
  ];
  for (const [what, bytes] of table) {
    const text = asciiJsonText(bytes);
    t.ok(text !== null, `${what}: fast path taken`);
    t.ok(/^[\x00-\x7f]*$/.test(text ?? ''), `${what}: only ASCII`);
    t.same(JSON.parse(text ?? 'null'), JSON.parse(bytes.toString('utf8')), `${what}: same value`);
  }
});

t.test('asciiJsonText: a backslash before non-ASCII is left to the UTF-8 path', async (t) => {
  // `"\é"` is an invalid escape; written as `\\u00e9` it would parse.
  t.equal(asciiJsonText(Buffer.from('{"a":"\\é"}')), null);
  t.equal(asciiJsonText(Buffer.from('{"a":"\\\\é"}')), null, 'even an escaped backslash: the cheap check does not count them');
});

t.test('parseDocumentBytes: errors name the line and column of the file as written', async (t) => {
  const table: Array<[string, string, string, { line: number; column: number }]> = [
    ['JSON with non-ASCII before the error', 'a.json', '{\n  "name": "Zoë",\n  "x": }\n', { line: 3, column: 8 }],
    ['byte order mark', 'b.json', '\ufeff{"a":1}', { line: 1, column: 1 }],
    ['invalid escape before non-ASCII', 'c.json', '{"a":"\\é"}', { line: 1, column: 7 }],
    ['non-ASCII outside a string', 'd.json', '{"a": é}', { line: 1, column: 7 }],
  ];
  for (const [what, name, text, at] of table) {
    const parsed = parseDocumentBytes(Buffer.from(text), name);
    t.equal(parsed.ok, false, `${what}: fails`);
    if (!parsed.ok) t.match(parsed.failure, at, `${what}: position`);
  }
});

t.test('parseDocumentBytes: JSON by name or by first byte, YAML otherwise', async (t) => {
  t.same(parseDocumentBytes(Buffer.from('  {"a": "ß"}'), 'spec.yaml'), { ok: true, value: { a: 'ß' } }, 'JSON text in a .yaml file');
  t.same(parseDocumentBytes(Buffer.from('a: ß\nb: [1]\n'), 'spec.yaml'), { ok: true, value: { a: 'ß', b: [1] } }, 'YAML');
  const dup = parseDocumentBytes(Buffer.from('a: 1\na: 2\n'), 'spec.yaml');
  t.match(dup, { ok: false, failure: { line: 2 } }, 'YAML duplicate key still rejected');
});
