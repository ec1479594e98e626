import t from 'tap';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { request } from 'undici';
import { createMock } from '../../src/index.js';
import { loadCassette } from '../../src/cassette/index.js';
import { call } from '../helpers/http.js';
import { listenLocal, type Listening } from '../helpers/listen.js';
import { join } from 'node:path';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An upstream that remembers what reached it and answers per path. */
async function startUpstream(): Promise<Listening & { seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url?.startsWith('/cookies')) {
        res.writeHead(200, [['content-type', 'application/json'], ['set-cookie', 'a=1; Path=/'], ['set-cookie', 'b=2; Path=/'], ['x-upstream', 'yes']]);
        res.end('{"ok":true}');
      } else if (req.url?.startsWith('/chunked')) {
        // No content-length: Node sends it chunked, in three writes.
        res.writeHead(201, { 'content-type': 'application/json' });
        res.write('{"parts":[1,');
        setTimeout(() => res.write('2,'), 5);
        setTimeout(() => res.end('3]}'), 10);
      } else {
        const body = JSON.stringify({ echoed: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
      }
    });
  });
  return { ...(await listenLocal(server)), seen };
}

t.test('pass-through: what reaches the target, and what comes back to the client', async (t) => {
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const mock = await createMock({ spec: null, cassettesDir: dir, target: upstream.url, record: { cassette: 'c' }, port: 0 });
  const url = await mock.listen();

  const posted = await call(`${url}/echo?x=1&x=2&y=%20`, { method: 'POST', headers: { 'content-type': 'text/plain', te: 'trailers', 'x-mockdeck-trace': '1', 'x-client': 'kept' }, body: 'héllo body' });
  t.same(posted.json(), { echoed: 'héllo body' }, 'the body reaches the target byte for byte');
  const [echo] = upstream.seen;
  t.equal(echo?.url, '/echo?x=1&x=2&y=%20', 'the query string is passed on as the client wrote it');
  t.equal(echo?.headers['content-length'], String(Buffer.byteLength('héllo body')), 'the length is that of the body');
  t.equal(echo?.headers['x-client'], 'kept', "the client's own headers are passed on");
  t.notOk(echo?.headers['x-mockdeck-trace'], 'x-mockdeck-* headers are for the mock only');
  t.notOk(echo?.headers['te'], 'hop-by-hop headers are not passed on');
  t.equal(echo?.headers.host, new URL(upstream.url).host, "the Host is the target's");

  const cookies = await call(`${url}/cookies`);
  t.same(cookies.headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/'], 'repeated headers come back as sent');
  t.equal(cookies.headers['x-upstream'], 'yes');
  t.equal(cookies.headers['x-mockdeck-source'], 'proxy');

  const chunked = await call(`${url}/chunked`);
  t.same([chunked.status, chunked.json()], [201, { parts: [1, 2, 3] }], 'a chunked answer arrives whole, with its status');

  const head = await request(`${url}/echo`, { method: 'HEAD' });
  await head.body.dump();
  t.equal(head.statusCode, 200, 'HEAD is answered');
  t.equal(head.headers['content-length'], String(Buffer.byteLength(JSON.stringify({ echoed: '' }))), "HEAD keeps the target's content-length");

  await mock.close();
  const recorded = (await loadCassette(join(dir, 'c'))).interactions;
  const chunkedRecording = recorded.find((i) => i.request.path === '/chunked');
  t.same(chunkedRecording?.response.body, { parts: [1, 2, 3] }, 'the chunked body is recorded whole');
  t.notOk(chunkedRecording && 'transfer-encoding' in chunkedRecording.response.headers, 'hop-by-hop headers are not recorded');
  t.same(recorded.find((i) => i.request.path === '/cookies')?.response.headers['set-cookie'], ['[REDACTED]', '[REDACTED]'], 'each set-cookie is redacted on disk');
});

t.test('upstream answers HTTP forbids (a control character in a header, status 099): 502 problem+json, nothing recorded, still serving', async (t) => {
  // A raw socket, so the bytes are exactly these whatever Node's own server would allow.
  const raw = createNetServer((socket) => {
    socket.once('data', (request) => {
      const line = request.toString('latin1');
      const answer = line.startsWith('GET /ok')
        ? 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}'
        : line.startsWith('GET /odd-status')
          ? 'HTTP/1.1 099 Odd\r\ncontent-length: 2\r\n\r\n{}'
          : 'HTTP/1.1 200 OK\r\nx-odd: a\x7fb\r\ncontent-length: 2\r\n\r\n{}';
      socket.end(answer, 'latin1');
    });
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => raw.close(() => resolve())));
  const dir = t.testdir({});
  const target = `http://127.0.0.1:${(raw.address() as { port: number }).port}`;
  const mock = await createMock({ spec: null, cassettesDir: dir, target, record: { cassette: 'c' }, port: 0 });
  const url = await mock.listen();
  for (const path of ['/odd-header', '/odd-status']) {
    const odd = await call(`${url}${path}`);
    t.equal(odd.status, 502, `${path}: a gateway error`);
    t.match(odd.headers['content-type'], /application\/problem\+json/);
    t.match((odd.json() as { code: string }).code, /^MOCKDECK_ERR_UPSTREAM_/);
  }
  t.equal((await call(`${url}/ok`)).status, 200, 'the proxy keeps serving');
  await mock.close();
  t.same((await loadCassette(join(dir, 'c'))).interactions.map((i) => i.request.path), ['/ok'], 'only the relayed answer is recorded');
});
