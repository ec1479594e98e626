/**
 * Runs a warm-up of every side, then `rounds` measured rounds alternating the
 * sides, reversing the order every other round (A B, B A, A B...) so that a
 * slow drift of the machine does not always favour the same side. Returns the
 * samples per side, in round order.
 *
 * @example
 * const [mock, bare] = await alternate([() => load(mockUrl, o), () => load(bareUrl, o)], { rounds: 3, warmup: [...] })
 */
export async function alternate<S>(sides: ReadonlyArray<() => Promise<S>>, options: { rounds: number; warmup?: ReadonlyArray<() => Promise<unknown>> }): Promise<S[][]> {
  for (const w of options.warmup ?? []) await w();
  const samples: S[][] = sides.map(() => []);
  for (let r = 0; r < options.rounds; r++) {
    const order = sides.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) (samples[i] as S[]).push(await (sides[i] as () => Promise<S>)());
  }
  return samples;
}
