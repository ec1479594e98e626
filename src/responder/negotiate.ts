interface AcceptRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(accept: string): AcceptRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [range = '', ...params] = part.trim().split(';');
      const [type = '*', subtype = '*'] = range.trim().toLowerCase().split('/');
      const qParam = params.find((p) => p.trim().startsWith('q='));
      return { type, subtype, q: qParam ? Number(qParam.trim().slice(2)) : 1 };
    })
    .filter((r) => r.q > 0 && r.type !== '');
}

function matches(range: AcceptRange, mediaType: string): boolean {
  const [type = '', subtype = ''] = mediaType.split(';')[0]!.trim().toLowerCase().split('/');
  if (range.type !== '*' && range.type !== type) return false;
  if (range.subtype === '*') return true;
  // application/json accepts application/problem+json and friends only by exact name.
  return range.subtype === subtype;
}

/**
 * Picks the media type to answer with: the client's highest-q acceptable
 * type, spec order breaking ties; JSON preferred when anything goes.
 * Returns null when nothing offered is acceptable (→ 406).
 *
 * @example
 * negotiate(['application/xml', 'application/json'], 'application/json') // 'application/json'
 */
export function negotiate(offered: string[], accept: string | undefined): string | null {
  if (offered.length === 0) return null;
  const ranges = accept && accept.trim() !== '' ? parseAccept(accept) : [];
  const anything = ranges.length === 0 || ranges.some((r) => r.type === '*' && r.subtype === '*' && r.q === Math.max(...ranges.map((x) => x.q)));
  if (anything) return offered.find((t) => /json/i.test(t)) ?? (offered[0] as string);
  let best: { type: string; q: number } | null = null;
  for (const type of offered) {
    const q = Math.max(0, ...ranges.filter((r) => matches(r, type)).map((r) => r.q));
    if (q > 0 && (best === null || q > best.q)) best = { type, q };
  }
  return best?.type ?? null;
}
