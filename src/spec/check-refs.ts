import { MockdeckError } from '../errors.js';
import { escapeToken, getAtPointer } from './json-pointer.js';

/** True when any `$ref` points outside the document (another file or URL). */
export function hasExternalRefs(doc: unknown): boolean {
  let found = false;
  visitRefs(doc, '', (ref) => {
    if (!ref.startsWith('#')) found = true;
  });
  return found;
}

/**
 * Every internal `$ref` must resolve, wherever it stands, so a broken ref is a
 * start-up error naming its JSON pointer rather than a 500 on first request.
 */
export function checkRefs(file: string, doc: Record<string, unknown>): void {
  const seen = new Map<string, boolean>();
  visitRefs(doc, '', (ref, pointer) => {
    if (!ref.startsWith('#')) return;
    let ok = seen.get(ref);
    if (ok === undefined) {
      ok = getAtPointer(doc, ref.slice(1)) !== undefined;
      seen.set(ref, ok);
    }
    if (!ok) throw new MockdeckError('MOCKDECK_ERR_SPEC_REF', { file, pointer, ref, reason: 'nothing exists at that JSON pointer' });
  });
}

export function visitRefs(node: unknown, pointer: string, onRef: (ref: string, pointer: string) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) visitRefs(node[i], `${pointer}/${i}`, onRef);
    return;
  }
  for (const key in node) {
    const value = (node as Record<string, unknown>)[key];
    if (key === '$ref' && typeof value === 'string') onRef(value, `${pointer}/$ref`);
    else if (value !== null && typeof value === 'object') visitRefs(value, `${pointer}/${escapeToken(key)}`, onRef);
  }
}
