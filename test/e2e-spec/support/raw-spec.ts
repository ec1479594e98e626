/**
 * Reading a raw OpenAPI 3.x document the way a client would, independently of
 * mockdeck's spec engine: list operations, fill path parameters, satisfy
 * security, find the documented response for a status.
 */

type Obj = Record<string, any>;

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface RawOperation {
  id: string;
  method: string;
  path: string;
  tags: string[];
  op: Obj;
  params: Obj[];
}

/** Follows a local `$ref` chain (`#/components/...`). */
export function deref(doc: Obj, node: unknown): Obj {
  let cur = node as Obj | undefined;
  for (let i = 0; i < 32 && cur && typeof cur['$ref'] === 'string' && cur['$ref'].startsWith('#/'); i++) {
    cur = cur['$ref'].slice(2).split('/').reduce<Obj | undefined>((o, t) => o?.[t.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return cur ?? {};
}

export function operations(doc: Obj): RawOperation[] {
  const out: RawOperation[] = [];
  for (const [path, rawItem] of Object.entries(doc['paths'] ?? {})) {
    const item = deref(doc, rawItem);
    for (const method of METHODS) {
      const op = item[method] as Obj | undefined;
      if (!op) continue;
      const params = new Map<string, Obj>();
      for (const p of [...(item['parameters'] ?? []), ...(op['parameters'] ?? [])].map((x: unknown) => deref(doc, x))) params.set(`${p['in']}:${p['name']}`, p);
      out.push({ id: typeof op['operationId'] === 'string' && op['operationId'] ? op['operationId'] : `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, tags: op['tags'] ?? [], op, params: [...params.values()] });
    }
  }
  return out;
}

/** A value for a path parameter that its schema accepts and that no literal sibling segment is likely to equal. */
export function pathValue(doc: Obj, param: Obj): string {
  const schema = deref(doc, param['schema'] ?? {});
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return String(schema['enum'][0]);
  const type = Array.isArray(schema['type']) ? schema['type'][0] : schema['type'];
  if (type === 'integer' || type === 'number') return String(Math.max(typeof schema['minimum'] === 'number' ? schema['minimum'] : 1, 1) + 41);
  if (type === 'boolean') return 'true';
  if (schema['format'] === 'uuid') return '0b8d0c3e-1111-4222-8333-444455556666';
  if (schema['format'] === 'date') return '2024-01-31';
  if (schema['format'] === 'date-time') return '2024-01-31T10:00:00Z';
  return `v${String(param['name']).replace(/[^A-Za-z0-9]/g, '')}42`;
}

/** The request path for an operation, under `base`, with every path parameter filled. */
export function concretePath(doc: Obj, ro: RawOperation, base = ''): string {
  const values = new Map(ro.params.filter((p) => p['in'] === 'path').map((p) => [String(p['name']), pathValue(doc, p)]));
  return base + ro.path.replace(/\{([^}]+)\}/g, (_w, name: string) => encodeURIComponent(values.get(name) ?? `v${name}42`));
}

/** Headers and query that satisfy the operation's first security alternative. */
export function credentials(doc: Obj, ro: RawOperation): { headers: Record<string, string>; query: string } {
  const headers: Record<string, string> = {};
  const query: string[] = [];
  const reqs = (ro.op['security'] ?? doc['security'] ?? []) as Obj[];
  const schemes = (doc['components']?.['securitySchemes'] ?? {}) as Obj;
  const alt = reqs[0] ?? {};
  const cookies: string[] = [];
  for (const name of Object.keys(alt)) {
    const s = deref(doc, schemes[name]);
    if (s['type'] === 'apiKey') {
      if (s['in'] === 'header') headers[String(s['name']).toLowerCase()] = 'test-key';
      else if (s['in'] === 'query') query.push(`${encodeURIComponent(s['name'])}=test-key`);
      else cookies.push(`${s['name']}=test-key`);
    } else if (s['type'] === 'http' && String(s['scheme']).toLowerCase() === 'basic') headers['authorization'] = 'Basic dXNlcjpwYXNz';
    else headers['authorization'] = 'Bearer test-token';
  }
  if (cookies.length) headers['cookie'] = cookies.join('; ');
  return { headers, query: query.join('&') };
}

/** The documented response for a status: exact, then `4XX`-style range, then default. */
export function documentedResponse(doc: Obj, ro: RawOperation, status: number): Obj | undefined {
  const responses = (ro.op['responses'] ?? {}) as Obj;
  const keys = Object.keys(responses);
  const key = keys.find((k) => k === String(status)) ?? keys.find((k) => k.toUpperCase() === `${String(status)[0]}XX`) ?? keys.find((k) => k.toLowerCase() === 'default');
  return key === undefined ? undefined : deref(doc, responses[key]);
}

/** The media object of a response for a sent content type (exact, then `type/*`, then `*\/*`). */
export function mediaFor(response: Obj, contentType: string | null): Obj | undefined {
  const content = (response['content'] ?? {}) as Obj;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const keys = Object.keys(content);
  const key = keys.find((k) => k.split(';')[0]!.trim().toLowerCase() === type) ?? keys.find((k) => k === `${type.split('/')[0]}/*`) ?? keys.find((k) => k === '*/*');
  return key === undefined ? undefined : content[key];
}

/** True when mockdeck would answer from an example (media examples, media example, or a schema-level example). */
export function hasExample(doc: Obj, media: Obj): boolean {
  if (media['example'] !== undefined) return true;
  if (media['examples'] && Object.values(media['examples'] as Obj).some((e) => 'value' in deref(doc, e))) return true;
  const schema = media['schema'] as Obj | undefined;
  return !!schema && typeof schema === 'object' && !('$ref' in schema) && ('example' in schema || (Array.isArray(schema['examples']) && schema['examples'].length > 0));
}

/** The path part of the first server URL (variables at their defaults), e.g. `/v1`; '' when none. */
export function serverBase(doc: Obj): string {
  const server = (doc['servers'] ?? [])[0] as Obj | undefined;
  if (!server || typeof server['url'] !== 'string') return '';
  const url = server['url'].replace(/\{([^}]+)\}/g, (_w: string, n: string) => String(server['variables']?.[n]?.['default'] ?? ''));
  return new URL(url, 'http://placeholder').pathname.replace(/\/+$/, '');
}

export const isJson = (contentType: string | null): boolean => !!contentType && /^[^;]*[/+]json\s*(;|$)/i.test(contentType.trim());
