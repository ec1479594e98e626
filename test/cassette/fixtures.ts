/** Builders shared by the cassette tests (not a test file itself). */
import type { Interaction } from '../../src/types.js';
import { MockdeckError } from '../../src/errors.js';

let counter = 0;

/** A valid interaction; `patch` overrides top-level fields. */
export function makeInteraction(patch: Partial<Interaction> = {}): Interaction {
  counter++;
  return {
    id: `int-${counter}`,
    recordedAt: new Date(Date.UTC(2026, 10, 24, 10, 0, 0, counter % 1000)).toISOString(),
    durationMs: 42,
    operationId: 'getPetById',
    request: {
      method: 'GET',
      path: '/pets/7',
      pathParams: { petId: '7' },
      query: { verbose: ['1'] },
      headers: { accept: 'application/json' },
      body: null,
      bodyEncoding: 'utf8',
    },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { id: 7, name: 'Rex' },
      bodyEncoding: 'json',
    },
    alignment: { ok: true, findings: [] },
    ...patch,
  };
}

/** The error a promise rejects with; fails loudly when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<MockdeckError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MockdeckError) return err;
    throw new Error(`expected a MockdeckError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The error a function throws; fails loudly when it returns. */
export function thrown(fn: () => unknown): MockdeckError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MockdeckError) return err;
    throw new Error(`expected a MockdeckError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a throw, but the function returned');
}
