// Baseline: a bare Fastify server, logging off, answering fixed bytes on fixed
// routes. The bench writes a routes file holding the exact bytes mockdeck sent
// (same body, same headers), so the only difference is mockdeck itself.
//
//   node bench/baselines/bare-fastify.js [routes.json]
//   routes.json: { "/pets/1": { "contentType": "application/json", "headers": { "x-a": "1" }, "body": "<text>" } }
//
// Prints `url: http://127.0.0.1:<port>` once listening.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const routes = process.argv[2] ? JSON.parse(readFileSync(process.argv[2], 'utf8')) : { '/': { contentType: 'application/json', body: '{"ok":true}' } };
const app = Fastify({ logger: false });
for (const [path, { contentType, headers = {}, body }] of Object.entries(routes)) {
  const bytes = Buffer.from(body, 'utf8');
  const all = { ...headers, 'content-type': contentType };
  app.get(path, (_request, reply) => {
    reply.headers(all).send(bytes);
  });
}
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`url: ${url}\n`);
// A clean exit on SIGTERM, so that `node --cpu-prof` writes its profile.
process.once('SIGTERM', () => void app.close());
