// Baseline: a bare pass-through proxy, Fastify + undici, logging off. What
// mockdeck record is compared against: the same hop, without the recording.
//
//   node bench/baselines/bare-proxy.js http://127.0.0.1:<upstream-port> [<folder>]
//
// Given a folder, it also writes each answer's body there, as a durable
// recorder must and nothing more: the answer is held whole (a recorder needs
// it whole), sent, then written to a new file, fsynced, renamed into place,
// the folder fsynced behind the renames. No recorder that
// keeps one file per big answer goes faster on this disk (mockdeck gives an
// answer of 512 KiB or more a part file of its own), so it shows how much
// of a big answer's cost is the disk's.
//
// Prints `url: http://127.0.0.1:<port>` once listening.
import Fastify from 'fastify';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'undici';

const [target, folder] = process.argv.slice(2);
if (!target) throw new Error('usage: bare-proxy.js <target-url> [<folder>]');
if (folder) await mkdir(folder, { recursive: true });
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
  if (!folder) return reply.send(res.body);
  const body = Buffer.from(await res.body.arrayBuffer());
  reply.raw.once('finish', () => void keep(body));
  return reply.send(body);
});

let written = 0;
let folderSync = null;
let folderAgain = false;

/** Writes one body durably; a failure stops the program (a baseline that loses data measures nothing). */
async function keep(body) {
  const name = join(folder, `${written++}.json`);
  const temp = `${name}.tmp`;
  const handle = await open(temp, 'wx');
  await handle.write(body);
  await handle.sync();
  await handle.close();
  await rename(temp, name);
  syncFolder();
}

/** One folder fsync at a time; renames made meanwhile share the next one. */
function syncFolder() {
  if (folderSync) {
    folderAgain = true;
    return;
  }
  folderSync = open(folder, 'r')
    .then(async (handle) => {
      await handle.sync();
      await handle.close();
    })
    .finally(() => {
      folderSync = null;
      if (folderAgain) {
        folderAgain = false;
        syncFolder();
      }
    });
}

process.on('unhandledRejection', (err) => {
  process.stderr.write(`bare-proxy: ${err.stack ?? err}\n`);
  process.exit(1);
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`url: ${url}\n`);
// A clean exit on SIGTERM, so that `node --cpu-prof` writes its profile.
process.once('SIGTERM', () => void app.close());
