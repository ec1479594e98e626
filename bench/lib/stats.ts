/** A figure over several rounds: the median, with the spread beside it. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}

/**
 * Median, min and max of the rounds (the median of an even count is the mean
 * of the middle two).
 *
 * @example
 * spread([3, 1, 2]) // { median: 2, min: 1, max: 3, rounds: [3, 1, 2] }
 */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread() of no rounds');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, rounds: [...values] };
}

/** Rounds to `digits` significant decimals for display and JSON. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
