/** Prism-compatible `Prefer` steering of spec responses. */
export interface Preferences {
  code?: number;
  example?: string;
  dynamic?: boolean;
}

/**
 * Parses `Prefer: code=404, example=notFound, dynamic=true` (comma or
 * semicolon separated; unknown preferences are ignored, as RFC 7240 asks).
 *
 * @example
 * parsePrefer('code=404; dynamic=true') // { code: 404, dynamic: true }
 */
export function parsePrefer(header: string | string[] | undefined): Preferences {
  const out: Preferences = {};
  if (header === undefined) return out; // most requests
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  for (const part of text.split(/[,;]/)) {
    const [rawKey, ...rest] = part.split('=');
    const key = rawKey?.trim().toLowerCase();
    const value = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
    // RFC 7240 §2: a preference given more than once counts only the first time.
    if (key === 'code' && /^\d{3}$/.test(value)) out.code ??= Number(value);
    else if (key === 'example' && value !== '') out.example ??= value;
    else if (key === 'dynamic') out.dynamic ??= value === '' || value.toLowerCase() === 'true';
  }
  return out;
}
