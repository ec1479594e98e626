import t from 'tap';
import { RepeatedBodies, REPEAT_MIN_BYTES } from '../../src/recorder/repeated-bodies.js';
import { interactionEntryChunks, serializeInteractionEntry } from '../../src/cassette/serialize.js';
import { makeInteraction } from '../cassette/fixtures.js';

const big = (tag: string): Buffer => Buffer.from(JSON.stringify({ tag, items: Array.from({ length: 3000 }, (_, i) => ({ i, s: 'x'.repeat(20) })) }));
const json = { contentType: 'application/json' };

t.test('an answer equal to the last of its kind shares its decoding; anything else is decoded anew', async (t) => {
  const bodies = new RepeatedBodies();
  const first = bodies.encode('getLarge 200', big('a'), json);
  t.equal(bodies.encode('getLarge 200', big('a'), json), first, 'equal bytes (another buffer): the same decoding');
  const cases: Array<[string, string, Buffer, { contentType?: string; contentEncoding?: string }]> = [
    ['other bytes of the same length', 'getLarge 200', big('b'), json],
    ['another operation or status', 'getLarge 201', big('a'), json],
    ['another content type', 'getLarge 200', big('a'), { contentType: 'text/plain' }],
    ['another content encoding', 'getLarge 200', big('a'), { ...json, contentEncoding: 'identity' }],
  ];
  for (const [name, kind, bytes, headers] of cases) t.not(bodies.encode(kind, bytes, headers), first, name);
  t.same(bodies.encode('getLarge 200', big('b'), json).body, JSON.parse(big('b').toString()), 'the changed body is the new value');
  t.not(bodies.encode('getLarge 200', big('a'), json), first, 'only the last answer of a kind is remembered');
  const small = Buffer.from('{"id":1}');
  t.ok(small.length < REPEAT_MIN_BYTES);
  t.not(bodies.encode('getSmall 200', small, json), bodies.encode('getSmall 200', Buffer.from(small), json), 'small bodies are decoded every time');
});

t.test('an entry written from the remembered text equals the serialized entry, and reads back the same', async (t) => {
  const bodies = new RepeatedBodies();
  const text = `{"spaced": true, "items": ${JSON.stringify(Array.from({ length: 15000 }, (_, i) => i))}}`;
  const encoded = bodies.encode('op 200', Buffer.from(text), json);
  const interaction = makeInteraction({ response: { body: encoded.body, bodyEncoding: 'json', headers: {}, status: 200 } });
  const chunks = interactionEntryChunks(interaction);
  t.equal(chunks.length, 3, 'head, body, tail');
  t.equal(chunks[1]?.toString(), text, 'the body piece is the text as received');
  const joined = chunks.map((c) => c.toString()).join('');
  t.equal(joined, serializeInteractionEntry(interaction));
  t.same(JSON.parse(joined), interaction);
  const copy = makeInteraction({ response: { body: structuredClone(encoded.body), bodyEncoding: 'json', headers: {}, status: 200 } });
  t.equal(interactionEntryChunks(copy)[1], JSON.stringify(encoded.body), 'a copy (a redacted body, say) is serialized anew');
});

t.test('join: chunks equal to a remembered answer give its bytes, anything else a new Buffer of the chunks', async (t) => {
  const bodies = new RepeatedBodies();
  const chunksOf = (bytes: Buffer, size: number): Buffer[] => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => Buffer.from(bytes.subarray(i * size, (i + 1) * size)));
  const first = bodies.join(chunksOf(big('a'), 16_384));
  t.ok(first.equals(big('a')), 'joined before anything is remembered');
  bodies.encode('getLarge 200', first, json);
  t.equal(bodies.join(chunksOf(big('a'), 10_000)), first, 'equal bytes in other chunks: the remembered Buffer');
  const changed = Buffer.from(big('a'));
  changed[changed.length - 2] = 0x20; // inside the last chunk only
  const other = bodies.join(chunksOf(changed, 10_000));
  t.not(other, first, 'one byte differs in the last chunk: a new Buffer');
  t.ok(other.equals(changed), 'holding exactly the chunks');
  const longer = bodies.join([...chunksOf(big('a'), 10_000), Buffer.from(' ')]);
  t.equal(longer.length, first.length + 1, 'a longer answer is never taken for a remembered one');
  const single = Buffer.from('{"one":"chunk"}');
  t.equal(bodies.join([single]), single, 'one chunk is its own Buffer');
  t.equal(bodies.join([]).length, 0, 'no chunk: an empty body');
});
