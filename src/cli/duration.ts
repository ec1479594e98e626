import { MockdeckError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses `500ms`, `30s`, `5m`, `2h`, `30d` (or a bare number of ms).
 *
 * @example
 * parseDuration('30s', '--timeout') // 30000
 */
export function parseDuration(value: string | number, flag: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(String(value).trim());
  if (!m) throw new MockdeckError('MOCKDECK_ERR_CLI_USAGE', { reason: `${flag} expects a duration such as 500ms, 30s, 5m, 2h or 30d; got "${value}"` });
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? 'ms'] as number));
}
