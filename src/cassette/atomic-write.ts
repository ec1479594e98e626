import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The handle operations the writer uses. */
export interface WriteHandle {
  /** Writes every chunk, in order, from the start of a new file (one writev, not one call per chunk). */
  writeChunks(chunks: readonly Buffer[]): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file-system calls the store writes through. Defaults to node:fs/promises;
 * tests pass a wrapper to inject EACCES, ENOSPC or a crash before the rename.
 */
export interface WriteFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  open(path: string, flags: string): Promise<WriteHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export const nodeWriteFs: WriteFs = {
  mkdir: (path, options) => fsp.mkdir(path, options),
  open: async (path, flags) => nodeHandle(await fsp.open(path, flags)),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
};

let sequence = 0;

/**
 * A temp name next to `file`: same folder (rename is only atomic within one
 * file system), starts with a dot (the cassette reader skips dotfiles, so a
 * crash that leaves one behind does not break the cassette), unique per
 * process and write.
 *
 * @example
 * tempNameFor('cassettes/p/getPet.json') // 'cassettes/p/.getPet.json.4242.0.tmp'
 */
export function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${sequence++}.tmp`);
}

/** Wraps a node FileHandle: writev of every chunk, checked to be complete. */
function nodeHandle(handle: fsp.FileHandle): WriteHandle {
  return {
    async writeChunks(chunks) {
      let expected = 0;
      for (const chunk of chunks) expected += chunk.length;
      // libuv loops over IOV_MAX-sized groups and partial writes of a regular file.
      const { bytesWritten } = await handle.writev(chunks as Buffer[]);
      if (bytesWritten !== expected) throw Object.assign(new Error(`short write: ${bytesWritten} of ${expected} bytes`), { code: 'EIO' });
    },
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
}

/**
 * Writes `content` (text, or chunks written in order) to `file` so that a
 * reader (or a crash) sees either the old content or the new one, never a mix:
 * write a temp file, fsync it, rename it over the target, then fsync the folder
 * so the rename itself is durable.
 *
 * @example
 * await writeFileAtomic(nodeWriteFs, 'cassettes/petstore/getPetById.json', text)
 */
export async function writeFileAtomic(fs: WriteFs, file: string, content: string | readonly Buffer[]): Promise<void> {
  const temp = tempNameFor(file);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeChunks(typeof content === 'string' ? [Buffer.from(content, 'utf8')] : content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (err) {
    await removeQuietly(fs, temp);
    throw err;
  }
  await sharedFolderSync(fs, dirname(file));
}

/**
 * Creates and removes a file in `dir`, so a folder that cannot be written fails
 * when the store opens instead of on the first recorded request.
 *
 * @example
 * await probeWritable(nodeWriteFs, 'cassettes/petstore')
 */
export async function probeWritable(fs: WriteFs, dir: string): Promise<void> {
  const probe = join(dir, `.mockdeck-write-probe.${process.pid}.${sequence++}.tmp`);
  const handle = await fs.open(probe, 'wx');
  await handle.close();
  await fs.unlink(probe);
}

/** Cleanup after a failed write: the original error is what the caller needs. */
async function removeQuietly(fs: WriteFs, temp: string): Promise<void> {
  try {
    await fs.unlink(temp);
  } catch {
    // Nothing to add: the temp may never have been created, and a leftover
    // dotfile is ignored by the reader.
  }
}

/** Per file system and folder: the folder sync running, and the one queued behind it. */
const folderSyncs = new WeakMap<WriteFs, Map<string, { running: Promise<void> | null; next: Promise<void> | null }>>();

/**
 * Syncs `dir` once for every write that renamed into it meanwhile (group
 * commit for the folder): a sync already running may have started before
 * this caller's rename, so the caller waits for the next one, which all
 * callers arriving meanwhile share. Every caller thus gets a sync that
 * started after its rename. A recorder writing one file per big answer, or a
 * part and cassette.json together, renames into one folder many times a
 * second; each sync costs three calls.
 */
function sharedFolderSync(fs: WriteFs, dir: string): Promise<void> {
  let byDir = folderSyncs.get(fs);
  if (!byDir) folderSyncs.set(fs, (byDir = new Map()));
  let state = byDir.get(dir);
  if (!state) byDir.set(dir, (state = { running: null, next: null }));
  const folder = state;
  if (!folder.running) {
    const running = syncFolder(fs, dir).finally(() => {
      if (folder.running === running) folder.running = null;
    });
    folder.running = running;
    return running;
  }
  folder.next ??= folder.running.then(() => {
    folder.next = null;
    return sharedFolderSync(fs, dir);
  });
  return folder.next;
}

/**
 * Best effort by design: the rename has already put the new content in place,
 * so failing here would tell the caller "not written" about a file that was.
 * Folders cannot be fsynced on Windows and some file systems anyway; what is
 * lost is only durability of the rename across a power cut.
 */
async function syncFolder(fs: WriteFs, dir: string): Promise<void> {
  let handle: WriteHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // See above: nothing useful to report.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
