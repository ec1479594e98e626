import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file under a folder, recursively, with its bytes. */
export async function allFiles(dir: string): Promise<Array<{ path: string; bytes: Buffer }>> {
  const out: Array<{ path: string; bytes: Buffer }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(p)));
    else out.push({ path: p, bytes: await readFile(p) });
  }
  return out;
}

/** Files under `dir` whose bytes contain `needle`. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  return (await allFiles(dir)).filter((f) => f.bytes.includes(Buffer.from(needle))).map((f) => f.path);
}
