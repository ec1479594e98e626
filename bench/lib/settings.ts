/** How long and how often: the full bench, or one short round of each scenario (smoke). */
export interface Settings {
  smoke: boolean;
  /** Measured rounds per comparison, after the warm-up. */
  rounds: number;
  /** Length of one load round, and of the warm-up of each side. */
  seconds: number;
  warmupSeconds: number;
  /** autocannon connections (keep-alive, no pipelining). */
  connections: number;
  /** Interactions in the big cassette of the scale scenario. */
  scaleCount: number;
  /** Scratch folder of this run (cassettes, routes files). */
  scratch: string;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

export const FULL = { smoke: false, rounds: 3, seconds: 4, warmupSeconds: 2, connections: 10, scaleCount: 100_000 } as const;
export const SMOKE = { smoke: true, rounds: 1, seconds: 0.4, warmupSeconds: 0.2, connections: 4, scaleCount: 1_000 } as const;
