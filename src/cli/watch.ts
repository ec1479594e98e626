import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { isMockdeckError } from '../errors.js';
import type { MockRuntime } from '../server/mock-runtime.js';

/**
 * Reloads a mock when its spec or cassettes change. Reloads are debounced
 * and swap state atomically, so in-flight requests finish on the old state;
 * a bad file keeps the last good state and logs which file and pointer.
 */
export function watchMock(runtime: MockRuntime, log: (line: string) => void, debounceMs = 150): () => void {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const trigger = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        try {
          const state = await runtime.reload();
          log(`mockdeck: reloaded ${runtime.config.name}: ${state.spec.operations.length} operations, ${state.index.size} interactions`);
        } catch (err) {
          log(`mockdeck: reload failed, keeping the last good state: ${isMockdeckError(err) ? `${err.code}: ${err.message}` : (err as Error).message}`);
        }
      });
    }, debounceMs);
  };
  const targets = [runtime.config.cassettesDir, ...(runtime.config.spec ? [dirname(runtime.config.spec)] : [])];
  for (const target of targets) {
    try {
      watchers.push(watch(target, { recursive: true }, (_event, file) => {
        if (file && /\.(json|ya?ml)$/i.test(String(file)) && !String(file).includes('.tmp')) trigger();
      }));
    } catch (err) {
      log(`mockdeck: cannot watch ${target}: ${(err as Error).message}`);
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
