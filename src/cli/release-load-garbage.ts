import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Interactions loaded at start from which the garbage of reading them is collected before serving. */
const COLLECT_AFTER_INTERACTIONS = 20_000;

/**
 * Collects the garbage that loading big cassettes leaves behind: each part
 * file is read as one string of up to 4 MiB, and until V8 next runs a full
 * collection those dead strings (a cassette's size in all) stay in the
 * process's resident memory. One collection before the first request costs
 * about a tenth of a second on 100 000 interactions and brings resident memory
 * back to what the mock holds. Only the CLI does this: it owns the process,
 * a program embedding mockdeck keeps its own heap policy.
 *
 * Does nothing below 20 000 `loadedInteractions`: smaller cassettes leave
 * too little behind to be worth a pause.
 *
 * @example
 * releaseLoadGarbage(mock.runtime.state.index.size)
 */
export function releaseLoadGarbage(loadedInteractions: number): void {
  if (loadedInteractions < COLLECT_AFTER_INTERACTIONS) return;
  // Without --expose-gc at start, V8 still hands out its gc function to a new context once the flag is set.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}
