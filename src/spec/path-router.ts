/**
 * Path-template routing: a segment trie where literal segments are tried
 * before templated ones (`/pets/mine` wins over `/pets/{id}`), with
 * backtracking so `/pets/mine/toys` can still reach `/pets/{id}/toys`.
 * Lookup cost grows with path depth, not with the number of paths.
 */

interface PatternEdge {
  regex: RegExp;
  names: string[];
  literalChars: number;
  node: TrieNode;
}

interface TrieNode {
  literals: Map<string, TrieNode>;
  patterns: PatternEdge[];
  leaf: string | null;
}

export interface RouteMatch {
  template: string;
  params: Record<string, string>;
}

const newNode = (): TrieNode => ({ literals: new Map(), patterns: [], leaf: null });

/** Recent lookups remembered, and the longest path remembered (a bound on the memo's memory). */
const MEMO_SIZE = 1000;
const MEMO_PATH_MAX = 256;

export class PathRouter {
  private readonly root = newNode();
  /**
   * Recent lookups (path → template and params, or null): clients ask for
   * the same few paths over and over, and a hit skips splitting, walking and
   * decoding. Oldest first out; emptied when a template is added.
   */
  private readonly memo = new Map<string, RouteMatch | null>();

  /** Adds a path template such as `/pets/{petId}` or `/files/{name}.{ext}`. */
  add(template: string): void {
    this.memo.clear();
    let node = this.root;
    for (const segment of splitPath(routedPart(template))) {
      node = segment.includes('{') ? this.patternChild(node, segment) : literalChild(node, segment);
    }
    node.leaf ??= template;
  }

  /** Finds the template for a concrete path, preferring literal segments. */
  match(path: string): RouteMatch | null {
    let found = this.memo.get(path);
    if (found === undefined) {
      const segments = splitPath(path);
      const template = walk(this.root, segments, 0);
      found = template === null ? null : { template, params: paramsOf(template, segments) };
      if (path.length <= MEMO_PATH_MAX) {
        if (this.memo.size >= MEMO_SIZE) this.memo.delete(this.memo.keys().next().value as string);
        this.memo.set(path, found);
      }
    }
    // Callers keep (and the recorder stores) the params: each gets its own copy of the remembered ones.
    return found === null ? null : { template: found.template, params: { ...found.params } };
  }

  private patternChild(node: TrieNode, segment: string): TrieNode {
    const existing = node.patterns.find((p) => p.regex.source === segmentRegex(segment).regex.source);
    if (existing) return existing.node;
    const { regex, names, literalChars } = segmentRegex(segment);
    const edge: PatternEdge = { regex, names, literalChars, node: newNode() };
    node.patterns.push(edge);
    node.patterns.sort((a, b) => b.literalChars - a.literalChars);
    return edge.node;
  }
}

function literalChild(node: TrieNode, segment: string): TrieNode {
  let child = node.literals.get(segment);
  if (!child) {
    child = newNode();
    node.literals.set(segment, child);
  }
  return child;
}

function walk(node: TrieNode, segments: string[], i: number): string | null {
  if (i === segments.length) return node.leaf;
  const segment = segments[i] as string;
  const literal = node.literals.get(segment) ?? node.literals.get(safeDecode(segment));
  if (literal) {
    const found = walk(literal, segments, i + 1);
    if (found !== null) return found;
  }
  for (const edge of node.patterns) {
    if (!edge.regex.test(segment)) continue;
    const found = walk(edge.node, segments, i + 1);
    if (found !== null) return found;
  }
  return null;
}

const SEGMENT_CACHE = new Map<string, ReturnType<typeof segmentRegex>>();
/** The routed segments of each template, split once. */
const TEMPLATE_PARTS = new Map<string, string[]>();
const SLASH = 0x2f;

/**
 * Params are named after the matched template's own segments, not the shared
 * trie edge: `/pets/{id}` and `/pets/{petId}/toys` share one edge, yet the
 * second must yield `petId`.
 */
function paramsOf(template: string, segments: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  let parts = TEMPLATE_PARTS.get(template);
  if (!parts) TEMPLATE_PARTS.set(template, (parts = splitPath(routedPart(template))));
  parts.forEach((part, i) => {
    if (!part.includes('{')) return;
    let compiled = SEGMENT_CACHE.get(part);
    if (!compiled) SEGMENT_CACHE.set(part, (compiled = segmentRegex(part)));
    const { regex, names } = compiled;
    const m = regex.exec(segments[i] ?? '');
    names.forEach((name, k) => (params[name] = safeDecode(m?.[k + 1] ?? '')));
  });
  return params;
}

/**
 * The part of a template that routes. Some real specs write a query into the
 * path key (`/search/articles?query={query}`, not valid OpenAPI but common);
 * requests arrive with the query split off, so only the path part can match.
 */
function routedPart(template: string): string {
  const q = template.indexOf('?');
  return q === -1 ? template : template.slice(0, q);
}

export function splitPath(path: string): string[] {
  // The usual shape (one leading slash, no trailing one) needs no regex: this runs on every request.
  if (path.length > 1 && path.charCodeAt(0) === SLASH && path.charCodeAt(1) !== SLASH && path.charCodeAt(path.length - 1) !== SLASH) return path.slice(1).split('/');
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.replace(/^\/+/, '').split('/');
}

function segmentRegex(segment: string): { regex: RegExp; names: string[]; literalChars: number } {
  const names: string[] = [];
  let literalChars = 0;
  const source = segment.replace(/\{([^}]+)\}|([^{]+)/g, (_whole, name: string | undefined, text: string | undefined) => {
    if (name !== undefined) {
      names.push(name);
      return '([^/]+?)';
    }
    literalChars += (text ?? '').length;
    return escapeRegex(text ?? '');
  });
  return { regex: new RegExp(`^${source}$`), names, literalChars };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
