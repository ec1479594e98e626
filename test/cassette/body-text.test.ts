/**
 * A recorder keeps every recording in its index for as long as it runs; a big
 * parsed JSON body is shed once written and parsed again from its bytes when
 * read. These tests guard that a shed body reads back as the value recorded,
 * key order included, and that only a body whose remembered text is exactly
 * that value is ever shed.
 */
import t from 'tap';
import { encodeBody, redactInteraction, serializeInteractionEntry, shedParsedBody } from '../../src/cassette/index.js';
import { knownBodyText, ONE_LINE_BODY_CHARS } from '../../src/cassette/body-text.js';
import type { Interaction } from '../../src/types.js';

// Keys in an order JSON.stringify would not choose, so a lost order shows.
const big = { zeta: 'first', items: Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `pet-${i}` })), alpha: { token: 'tok_shed_secret_77', kept: true } };
const oneLine = JSON.stringify(big);
const multiLine = JSON.stringify(big, null, 2);

const encoded = (text: string) => encodeBody(Buffer.from(text), { contentType: 'application/json' });
const isAccessor = (response: object): boolean => typeof Object.getOwnPropertyDescriptor(response, 'body')?.get === 'function';

function interactionWith(body: unknown): Interaction {
  return {
    alignment: { findings: [], ok: true },
    durationMs: 3,
    id: '01JBIGBODY0000000000000000',
    operationId: 'getCatalog',
    recordedAt: '2026-12-03T08:00:00.000Z',
    request: { body: null, bodyEncoding: 'utf8', headers: {}, method: 'GET', path: '/catalog', pathParams: {}, query: {} },
    response: { body, bodyEncoding: 'json', headers: { 'content-type': 'application/json' }, status: 200 },
  };
}

t.test('a big body, one line or many, is shed and reads back as the same value', async (t) => {
  t.ok(oneLine.length >= ONE_LINE_BODY_CHARS, 'the fixture is big enough to be remembered');
  for (const [name, text] of [['one line', oneLine], ['many lines', multiLine]] as const) {
    const { body, bodyEncoding } = encoded(text);
    t.equal(bodyEncoding, 'json');
    const response = { body };
    shedParsedBody(response);
    t.ok(isAccessor(response), `${name}: the parsed tree is no longer held`);
    t.same(response.body, big, `${name}: parsed again, equal`);
    t.equal(JSON.stringify(response.body), oneLine, `${name}: key order kept`);
    t.not(response.body, response.body, `${name}: each read parses anew (nothing kept between reads)`);
    t.same(Object.keys(response), ['body'], `${name}: still an own enumerable key`);
    t.equal(JSON.stringify(response), JSON.stringify({ body: big }), `${name}: JSON.stringify reads through it`);
    t.same(structuredClone(response), { body: big }, `${name}: structuredClone reads through it`);
  }
  const { body } = encoded(oneLine);
  const response = { body };
  shedParsedBody(response);
  t.ok(knownBodyText(response.body)?.equals(Buffer.from(oneLine)), 'a body read back still writes as the bytes it came from');
});

t.test('the interaction still serializes to the same entry once shed', async (t) => {
  const interaction = interactionWith(encoded(oneLine).body);
  const before = serializeInteractionEntry(interaction);
  shedParsedBody(interaction.response);
  t.equal(serializeInteractionEntry(interaction), before);
});

t.test('only a body whose remembered text is that very value is shed', async (t) => {
  const small = { body: encoded('{"id":1,"name":"Rex"}').body };
  shedParsedBody(small);
  t.notOk(isAccessor(small), 'a small body is kept as it is');

  const built = { body: structuredClone(big) };
  shedParsedBody(built);
  t.notOk(isAccessor(built), 'a body with no text behind it (built in code) is kept as it is');

  const recorded = interactionWith(encoded(oneLine).body);
  const redacted = redactInteraction(recorded, { headers: [], query: [], pointers: ['/alpha/token'] });
  shedParsedBody(redacted.response);
  t.notOk(isAccessor(redacted.response), 'a redacted body is a copy: kept, never read back from the unredacted text');
  t.equal((redacted.response.body as typeof big).alpha.token, '[REDACTED]');

  const untouched = redactInteraction(interactionWith(encoded(oneLine).body), { headers: [], query: [], pointers: ['/absent'] });
  shedParsedBody(untouched.response);
  t.ok(isAccessor(untouched.response), 'a pointer that matches nothing leaves the body itself, which is shed');

  for (const body of [null, 'text', 42]) {
    const response = { body };
    shedParsedBody(response);
    t.notOk(isAccessor(response), `${JSON.stringify(body)} is kept`);
  }
});

t.test('assigning a body to a shed response makes it a plain value', async (t) => {
  const response: { body: unknown } = { body: encoded(oneLine).body };
  shedParsedBody(response);
  response.body = { replaced: true };
  t.notOk(isAccessor(response));
  t.same(response.body, { replaced: true });
  t.same(Object.getOwnPropertyDescriptor(response, 'body'), { value: { replaced: true }, writable: true, enumerable: true, configurable: true });
});
