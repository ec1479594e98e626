import { MockdeckError } from '../errors.js';
import { keyPath } from './key-path.js';
import type { Locate } from './parse-config.js';

/** Builds MOCKDECK_ERR_CONFIG_INVALID errors for one file: key path, reason, and the line when known. */
export function configErrors(file: string, locate: Locate) {
  return (segments: readonly (string | number)[], reason: string, options: { key?: string; cause?: unknown } = {}): MockdeckError => {
    const line = locate(segments, options.key);
    return new MockdeckError(
      'MOCKDECK_ERR_CONFIG_INVALID',
      { file, path: keyPath(segments), reason: line === undefined ? reason : `${reason} (line ${line})` },
      options.cause === undefined ? {} : { cause: options.cause },
    );
  };
}

export type ConfigErrorFactory = ReturnType<typeof configErrors>;
