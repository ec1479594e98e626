import type { Options } from 'yargs';

export const serverOptions = {
  host: { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on' },
  port: { type: 'number', default: 4010, describe: 'Port to listen on (0 = any free port)' },
  cassettes: { type: 'string', describe: 'Folder holding one sub-folder per cassette [default: cassettes]' },
} as const satisfies Record<string, Options>;

/** `--api-key` flags win over MOCKDECK_API_KEYS (comma list). */
export function apiKeysFrom(flags: string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (flags && flags.length > 0) return flags;
  return (env['MOCKDECK_API_KEYS'] ?? '').split(',').map((k) => k.trim()).filter(Boolean);
}

export function logOption(env: NodeJS.ProcessEnv = process.env): { level: string } | false {
  const level = (env['MOCKDECK_LOG_LEVEL'] ?? 'info').toLowerCase();
  return level === 'silent' || level === 'off' ? false : { level };
}
