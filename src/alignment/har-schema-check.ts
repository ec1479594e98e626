import * as harValidator from 'har-validator';
import type { HARError, HarSchemaError } from 'har-validator';
import { dottedPath, invalid, pointerOf } from './import-file.js';

/**
 * Checks a parsed file against the HAR 1.2 JSON Schema (har-validator, the
 * schema most HAR tools share). On failure throws IMPORT_INVALID naming the
 * first violation as `log.entries[3].response.content: ...` with its pointer.
 *
 * Two browser quirks are forgiven first: Chrome writes IPv6 server addresses
 * in brackets (`"[::1]"`) and an empty address for requests that failed, both
 * of which the schema's ipv4/ipv6 formats refuse although the entry is fine.
 *
 * @example
 * await assertHar(JSON.parse(text), 'session.har')
 */
export async function assertHar(data: unknown, file: string): Promise<void> {
  try {
    await harValidator.har(forgiveBrowserQuirks(data));
  } catch (err) {
    if (!isHarError(err)) throw err;
    const first = mostSpecific(err.errors);
    const keys = keysOfDataPath(first?.dataPath ?? '');
    const missing = first?.keyword === 'required' ? String(first.params['missingProperty'] ?? '').replace(/^\./, '') : '';
    const at = missing ? [...keys, missing] : keys;
    const reason = `${dottedPath(at) || '(document)'}: ${missing ? 'is required by HAR 1.2' : first?.message ?? 'does not match HAR 1.2'}${err.errors.length > 1 ? ` (and ${err.errors.length - 1} more problem(s))` : ''}`;
    throw invalid(file, pointerOf(at), reason, err);
  }
}

function isHarError(err: unknown): err is HARError {
  return err instanceof Error && err.name === 'HARError' && Array.isArray((err as HARError).errors);
}

/** The deepest error: a oneOf/anyOf parent says less than the branch under it. */
function mostSpecific(errors: readonly HarSchemaError[]): HarSchemaError | undefined {
  let best: HarSchemaError | undefined;
  for (const e of errors) if (!best || keysOfDataPath(e.dataPath).length > keysOfDataPath(best.dataPath).length) best = e;
  return best;
}

/** `.log.entries[3]['x-y']` → ['log', 'entries', 3, 'x-y']. */
export function keysOfDataPath(dataPath: string): Array<string | number> {
  const keys: Array<string | number> = [];
  const re = /\.([^.[]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]/g;
  for (const m of dataPath.matchAll(re)) keys.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? '').replace(/\\(.)/g, '$1')));
  return keys;
}

function forgiveBrowserQuirks(data: unknown): unknown {
  const entries = (data as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) return data;
  const fixed = entries.map((e: unknown) => {
    const ip = (e as { serverIPAddress?: unknown } | null)?.serverIPAddress;
    if (typeof ip !== 'string') return e;
    if (ip === '') {
      const { serverIPAddress: _empty, ...rest } = e as Record<string, unknown>;
      return rest;
    }
    return /^\[.*\]$/.test(ip) ? { ...(e as object), serverIPAddress: ip.slice(1, -1) } : e;
  });
  const log = (data as { log: object }).log;
  return { ...(data as object), log: { ...log, entries: fixed } };
}
