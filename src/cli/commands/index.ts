import type { CommandModule } from 'yargs';

/** Commands beyond replay and record register here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const extraCommands: CommandModule<any, any>[] = [];
