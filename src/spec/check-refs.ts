import { MockdeckError } from '../errors.js';
import { escapeToken, getAtPointer } from './json-pointer.js';

/**
 * Every distinct `$ref` string of a document, in first-seen order. One walk,
 * and no JSON pointer is built on the way: a 13 MB spec has hundreds of
 * thousands of nodes, and a pointer string per node was most of the cost of
 * checking refs at start. Pointers are built only when a ref is broken.
 *
 * @example
 * collectRefs({ a: { $ref: '#/b' }, b: {}, c: { $ref: '#/b' } }) // Set { '#/b' }
 */
export function collectRefs(doc: unknown): Set<string> {
  const refs = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === 'object') walk(item);
      return;
    }
    for (const key in node as Record<string, unknown>) {
      const value = (node as Record<string, unknown>)[key];
      if (key === '$ref' && typeof value === 'string') refs.add(value);
      else if (value !== null && typeof value === 'object') walk(value);
    }
  };
  if (doc !== null && typeof doc === 'object') walk(doc);
  return refs;
}

/** True when any `$ref` points outside the document (another file or URL). */
export function hasExternalRefs(doc: unknown, refs: Iterable<string> = collectRefs(doc)): boolean {
  for (const ref of refs) if (!ref.startsWith('#')) return true;
  return false;
}

/**
 * Every internal `$ref` must resolve, wherever it stands, so a broken ref is a
 * start-up error naming its JSON pointer rather than a 500 on first request.
 * Each distinct target is looked up once; the error names the first broken
 * `$ref` in document order.
 */
export function checkRefs(file: string, doc: Record<string, unknown>, refs: Iterable<string> = collectRefs(doc)): void {
  const broken = new Set<string>();
  for (const ref of refs) {
    if (ref.startsWith('#') && getAtPointer(doc, ref.slice(1)) === undefined) broken.add(ref);
  }
  if (broken.size === 0) return;
  visitRefs(doc, '', (ref, pointer) => {
    if (broken.has(ref)) throw new MockdeckError('MOCKDECK_ERR_SPEC_REF', { file, pointer, ref, reason: 'nothing exists at that JSON pointer' });
  });
}

/** Calls `onRef` with every `$ref` and the JSON pointer where it stands (error paths: it builds a pointer per node). */
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
