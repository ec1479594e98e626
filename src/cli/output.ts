import { isMockdeckError } from '../errors.js';

/** Exit codes: 0 ok, 1 a check failed (e.g. drift), 2 bad usage or bad input. */
export const EXIT = { ok: 0, checkFailed: 1, badInput: 2 } as const;

export class ExitError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}

/** Prints an error the way a user can act on it: code and message, a stack only in debug. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  const debug = (process.env['MOCKDECK_LOG_LEVEL'] ?? '').toLowerCase() === 'debug';
  if (err instanceof ExitError) {
    if (err.message) stderr.write(`mockdeck: ${err.message}\n`);
    return err.exitCode;
  }
  if (isMockdeckError(err)) {
    stderr.write(`mockdeck: ${err.code}: ${err.message}\n`);
    if (debug && err.cause) stderr.write(`${String((err.cause as Error).stack ?? err.cause)}\n`);
    return EXIT.badInput;
  }
  stderr.write(`mockdeck: unexpected error: ${(err as Error)?.message ?? String(err)}\n`);
  if (debug) stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  else stderr.write('Run again with MOCKDECK_LOG_LEVEL=debug for the stack trace.\n');
  return EXIT.badInput;
}
