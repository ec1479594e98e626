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
    // q=0 ranges are kept: they refuse a type (`application/xml;q=0, */*`).
    .filter((r) => r.q >= 0 && r.q <= 1 && r.type !== '');
}

function matches(range: AcceptRange, mediaType: string): boolean {
  const [type = '', subtype = ''] = mediaType.split(';')[0]!.trim().toLowerCase().split('/');
  if (range.type !== '*' && range.type !== type) return false;
  if (range.subtype === '*') return true;
  // application/json accepts application/problem+json and friends only by exact name.
  return range.subtype === subtype;
}

/** The q the client gives a media type: that of the most specific range matching it (RFC 9110 §12.5.1), 0 if none. */
function qualityOf(ranges: AcceptRange[], mediaType: string): number {
  let best: { specificity: number; q: number } | null = null;
  for (const r of ranges) {
    if (!matches(r, mediaType)) continue;
    const specificity = r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2;
    if (best === null || specificity > best.specificity || (specificity === best.specificity && r.q > best.q)) best = { specificity, q: r.q };
  }
  return best?.q ?? 0;
}

/**
 * Picks the media type to answer with: the client's highest-q acceptable
 * type, spec order breaking ties; JSON preferred when anything goes.
 * Returns null when nothing offered is acceptable (→ 406), including types
 * the client refused with q=0.
 *
 * @example
 * negotiate(['application/xml', 'application/json'], 'application/json') // 'application/json'
 */
export function negotiate(offered: string[], accept: string | undefined): string | null {
  if (offered.length === 0) return null;
  const ranges = accept && accept.trim() !== '' ? parseAccept(accept) : [];
  const json = (types: string[]): string | undefined => types.find((t) => /json/i.test(t));
  if (ranges.length === 0) return json(offered) ?? (offered[0] as string);
  const scored = offered.map((type) => ({ type, q: qualityOf(ranges, type) })).filter((s) => s.q > 0);
  if (scored.length === 0) return null;
  const top = Math.max(...scored.map((s) => s.q));
  const best = scored.filter((s) => s.q === top).map((s) => s.type);
  const anything = ranges.some((r) => r.type === '*' && r.subtype === '*' && r.q === top);
  return (anything ? json(best) : undefined) ?? (best[0] as string);
}
