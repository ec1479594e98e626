import type { CommandModule } from 'yargs';
import { verifyCommand } from './verify.js';
import { importCommand } from './import.js';
import { exportCommand } from './export.js';
import { serveCommand } from './serve.js';

/** Commands beyond replay and record register here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const extraCommands: CommandModule<any, any>[] = [
  verifyCommand,
  importCommand,
  exportCommand,
  serveCommand,
];
