// The upstream every proxy scenario talks to: plain node:http, precomputed
// bodies, nothing else. GET /small is a small JSON object, GET /large a 1 MB
// JSON array (the same bytes every time), GET /large-varied 1 MB that differ
// from one answer to the next; the query string is ignored (the bench makes every request
// unique so that mockdeck records each one).
//
//   node bench/baselines/upstream.js
//
// Prints `url: http://127.0.0.1:<port>` once listening.
import { createServer } from 'node:http';

const small = Buffer.from(JSON.stringify({ id: 1, name: 'Rex', status: 'available', tags: ['dog'] }));
const items = [];
let size = 2;
for (let i = 0; size < 1024 * 1024 - 200; i++) {
  const item = JSON.stringify({ id: i, name: `pet-${i}`, status: i % 3 === 0 ? 'sold' : 'available', tags: ['dog', 'good'], note: 'x'.repeat(40) });
  items.push(item);
  size += item.length + 1;
}
const large = Buffer.from(`[${items.join(',')}]`);
// /large-varied: 1 MB bodies that differ from one answer to the next (the
// first pet's name changes with ?n=); the same bytes to send as /large.
const varied = Array.from({ length: 16 }, (_, k) => Buffer.from(`[${items[0].replace('"pet-0"', `"pet-0-${k.toString(16)}"`)},${items.slice(1).join(',')}]`));
const bodies = { '/small': small, '/large': large };

const server = createServer((req, res) => {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  // The variant follows ?n=, so that one request asked twice gets the same bytes.
  const body = path === '/large-varied' ? varied[Number(new URLSearchParams(req.url.slice(q + 1)).get('n')) % varied.length || 0] : bodies[path];
  req.resume();
  if (!body) {
    res.writeHead(404, { 'content-type': 'application/json', 'content-length': 2 }).end('{}');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`url: http://127.0.0.1:${server.address().port}\n`);
});
// A clean exit on SIGTERM, so that `node --cpu-prof` writes its profile.
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
