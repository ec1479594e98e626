import { DEFAULT_HOST, DEFAULT_PORT } from '../config.js';
import { MockdeckError } from '../errors.js';
import { LOG_LEVELS, type ConfigFile, type LogLevel } from './config-schema.js';

/** Settings given on the command line for `mockdeck serve`; each wins over env and file. */
export interface ConfigFlags {
  host?: string;
  port?: number;
  apiKeys?: string[];
  adminKey?: string;
  logLevel?: string;
}

/** A value and the place it came from (a flag, an env var, or a key of the file), for messages and the banner. */
export interface Sourced<T> {
  readonly value: T;
  readonly from: string;
}

/** Deck-wide settings once flags, env and file are layered. */
export interface EffectiveSettings {
  readonly host: string;
  readonly port: number;
  readonly logLevel: Sourced<LogLevel>;
  /** Keys that gate every mock, replacing the file's; null leaves each mock's `access` as the file says. */
  readonly apiKeys: Sourced<string[]> | null;
  readonly adminKey: Sourced<string> | null;
}

const splitList = (value: string): string[] => value.split(',').map((k) => k.trim()).filter(Boolean);

/**
 * Layers the deck-wide settings: flags > env > file > defaults.
 * `--api-key`/`MOCKDECK_API_KEYS` gate every mock with those keys (a mock
 * the file leaves public becomes keyed): failing closed is the safe reading
 * of "env wins over the file".
 *
 * @example
 * applyPrecedence(file, { port: 5000 }, { MOCKDECK_LOG_LEVEL: 'warn' }).logLevel // { value: 'warn', from: 'MOCKDECK_LOG_LEVEL' }
 */
export function applyPrecedence(file: ConfigFile, flags: ConfigFlags, env: NodeJS.ProcessEnv): EffectiveSettings {
  const envKeys = splitList(env['MOCKDECK_API_KEYS'] ?? '');
  const envAdmin = env['MOCKDECK_ADMIN_KEY'];
  const envLevel = env['MOCKDECK_LOG_LEVEL'];
  return {
    host: flags.host ?? file.host ?? DEFAULT_HOST,
    port: flags.port ?? file.port ?? DEFAULT_PORT,
    logLevel:
      flags.logLevel !== undefined ? logLevel(flags.logLevel, '--log-level')
      : envLevel ? logLevel(envLevel, 'MOCKDECK_LOG_LEVEL')
      : { value: file.logLevel ?? 'info', from: file.logLevel ? 'logLevel' : 'default' },
    apiKeys:
      flags.apiKeys && flags.apiKeys.length > 0 ? { value: [...flags.apiKeys], from: '--api-key' }
      : envKeys.length > 0 ? { value: envKeys, from: 'MOCKDECK_API_KEYS' }
      : null,
    adminKey:
      flags.adminKey ? { value: flags.adminKey, from: '--admin-key' }
      : envAdmin ? { value: envAdmin, from: 'MOCKDECK_ADMIN_KEY' }
      : file.admin ? { value: file.admin.key, from: 'admin.key' }
      : null,
  };
}

function logLevel(raw: string, from: string): Sourced<LogLevel> {
  const value = raw.trim().toLowerCase() === 'off' ? 'silent' : raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new MockdeckError('MOCKDECK_ERR_CLI_USAGE', { reason: `${from}: "${raw}" is not a log level; use one of ${LOG_LEVELS.join(', ')}` });
  }
  return { value: value as LogLevel, from };
}
