/**
 * Every atomic write ends with an fsync of its folder, so that the rename
 * survives a power cut. Writes that rename into one folder at once share
 * those syncs; these tests guard that sharing never lets a write resolve on a
 * sync that started before its own rename.
 */
import t from 'tap';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type WriteFs } from '../../src/cassette/atomic-write.js';

type Event = { kind: 'rename'; file: string } | { kind: 'sync-start' | 'sync-end'; id: number };

/** The real file system, logging renames and folder syncs; a folder sync takes `syncMs`. */
function loggingFs(syncMs: number): WriteFs & { events: Event[] } {
  const events: Event[] = [];
  let syncs = 0;
  return {
    events,
    mkdir: (path, options) => fsp.mkdir(path, options),
    async open(path, flags) {
      const handle = await fsp.open(path, flags);
      const isFolder = flags === 'r';
      return {
        writeChunks: async (chunks) => void (await handle.writev(chunks as Buffer[])),
        async sync() {
          if (!isFolder) return handle.sync();
          const id = syncs++;
          events.push({ kind: 'sync-start', id });
          await new Promise((resolve) => setTimeout(resolve, syncMs));
          await handle.sync();
          events.push({ kind: 'sync-end', id });
        },
        close: () => handle.close(),
      };
    },
    async rename(from, to) {
      await fsp.rename(from, to);
      events.push({ kind: 'rename', file: to });
    },
    unlink: (path) => fsp.unlink(path),
  };
}

t.test('writes renaming into one folder at once share its syncs, each on a sync started after its rename', async (t) => {
  const dir = t.testdir({});
  const fs = loggingFs(15);
  const files = Array.from({ length: 40 }, (_, i) => join(dir, `part~${i + 2}.json`));
  const settled: Array<{ file: string; at: number }> = [];
  await Promise.all(files.map(async (file, i) => {
    await new Promise((resolve) => setTimeout(resolve, i % 8)); // renames spread over a few ms, some during a sync
    await writeFileAtomic(fs, file, `{"n":${i}}\n`);
    settled.push({ file, at: fs.events.length });
  }));

  const syncs = fs.events.filter((e) => e.kind === 'sync-start').length;
  t.ok(syncs < files.length / 2, `40 writes, ${syncs} folder syncs`);
  for (const { file, at } of settled) {
    const renamedAt = fs.events.findIndex((e) => e.kind === 'rename' && e.file === file);
    const covering = fs.events.slice(renamedAt, at).find((e) => e.kind === 'sync-start');
    const ended = covering && fs.events.slice(renamedAt, at).some((e) => e.kind === 'sync-end' && e.id === (covering as { id: number }).id);
    t.ok(ended, `${file.split('/').pop()}: resolved after a folder sync that started after its rename`);
  }
  for (const [i, file] of files.entries()) t.equal(await fsp.readFile(file, 'utf8'), `{"n":${i}}\n`);
});

t.test('folders are synced apart: a sync of one never stands for another', async (t) => {
  const root = t.testdir({ a: {}, b: {} });
  const fs = loggingFs(5);
  await Promise.all([writeFileAtomic(fs, join(root, 'a', 'x.json'), '1'), writeFileAtomic(fs, join(root, 'b', 'x.json'), '2')]);
  t.equal(fs.events.filter((e) => e.kind === 'sync-start').length, 2, 'one sync per folder');
});

t.test('a write after a quiet spell syncs its folder at once', async (t) => {
  const dir = t.testdir({});
  const fs = loggingFs(1);
  for (let i = 0; i < 3; i++) await writeFileAtomic(fs, join(dir, 'one.json'), String(i));
  t.same(fs.events.map((e) => e.kind), ['rename', 'sync-start', 'sync-end', 'rename', 'sync-start', 'sync-end', 'rename', 'sync-start', 'sync-end']);
});
