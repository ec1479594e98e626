import { dirname, relative, resolve } from 'node:path';
import { MockdeckError } from '../errors.js';
import { visitRefs } from './check-refs.js';

/** What swagger-parser (json-schema-ref-parser) puts on a failed resolution. */
interface RefParserError {
  message?: string;
  /** Absolute path (or URL) of the file that could not be opened or lacks the pointer. */
  source?: string;
  /** The fragment that is missing, e.g. `#/Pet`. */
  targetRef?: string;
  /** Where the failing `$ref` stands, e.g. `#/paths/~1pets/get/...`. */
  parentPath?: string;
  ioErrorCode?: string;
}

/**
 * Turns swagger-parser's failure to bundle an external `$ref` into an error
 * naming the `$ref` as written and its JSON pointer in the root document, so
 * the user sees which line of their spec to fix rather than a resolver's
 * internal path. A `$ref` inside another external file is named by what the
 * resolver knows (the target file and fragment).
 */
export function externalRefError(file: string, abs: string, doc: unknown, err: unknown): MockdeckError {
  const e = (err ?? {}) as RefParserError;
  const source = typeof e.source === 'string' ? e.source : undefined;
  const fragment = typeof e.targetRef === 'string' ? e.targetRef : undefined;
  let found: { ref: string; pointer: string } | undefined;
  visitRefs(doc, '', (ref, pointer) => {
    if (found || ref.startsWith('#') || source === undefined) return;
    const [filePart = '', frag] = ref.split('#');
    if (/^[a-z]+:\/\//i.test(filePart) ? filePart !== source : resolve(dirname(abs), safeDecodeURI(filePart)) !== source) return;
    if (fragment !== undefined && `#${frag ?? ''}` !== fragment) return;
    found = { ref, pointer };
  });
  const target = source === undefined ? '(external)' : /^[a-z]+:\/\//i.test(source) ? source : relative(dirname(abs), source) || source;
  const ref = found?.ref ?? `${target}${fragment ?? ''}`;
  const pointer = found?.pointer ?? (e.parentPath ? e.parentPath.replace(/^#/, '') : '');
  const reason = e.ioErrorCode === 'ENOENT'
    ? `the file ${target} does not exist`
    : fragment !== undefined
      ? `${target} has nothing at ${fragment}`
      : (e.message ?? String(err)).split('\n')[0];
  return new MockdeckError('MOCKDECK_ERR_SPEC_REF', { file, pointer, ref, reason }, { cause: err });
}

function safeDecodeURI(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}
