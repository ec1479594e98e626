// Baseline: a bare pass-through proxy, Fastify + undici, logging off, writing
// nothing. What mockdeck record is compared against: the same hop, without the
// recording.
//
//   node bench/baselines/bare-proxy.js http://127.0.0.1:<upstream-port>
//
// Prints `url: http://127.0.0.1:<port>` once listening.
import Fastify from 'fastify';
import { Pool } from 'undici';

const target = process.argv[2];
if (!target) throw new Error('usage: bare-proxy.js <target-url>');
const upstream = new Pool(target, { connections: 128 });
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer', 'host']);

const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
app.all('/*', async (request, reply) => {
  const headers = {};
  for (const [name, value] of Object.entries(request.headers)) if (!HOP.has(name)) headers[name] = value;
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const res = await upstream.request({ method: request.method, path: request.url, headers, body: hasBody ? request.body : undefined });
  const out = {};
  for (const [name, value] of Object.entries(res.headers)) if (!HOP.has(name)) out[name] = value;
  reply.code(res.statusCode).headers(out);
  return reply.send(res.body);
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`url: ${url}\n`);
// A clean exit on SIGTERM, so that `node --cpu-prof` writes its profile.
process.once('SIGTERM', () => void app.close());
