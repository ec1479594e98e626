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
