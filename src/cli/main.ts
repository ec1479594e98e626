import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { replayCommand } from './commands/replay.js';
import { recordCommand } from './commands/record.js';
import { EXIT, ExitError, reportError } from './output.js';
import { extraCommands } from './commands/index.js';
import { asksForHelp } from './asks-for-help.js';
import { keepRequestGarbageYoung } from './heap-policy.js';

/**
 * The CLI: the only place that reads argv and env or ends the process.
 * Unknown flags are errors; exit codes are 0 ok, 1 check failed, 2 bad usage or input.
 */
export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  keepRequestGarbageYoung();
  let parser = yargs(argv)
    .scriptName('mockdeck')
    .usage('$0 <command> [options]\n\nRecord real API traffic into reviewable cassettes, replay it offline, and fall back to the OpenAPI spec for everything never recorded.')
    .command(replayCommand)
    .command(recordCommand);
  for (const command of extraCommands) parser = parser.command(command);
  await parser
    .demandCommand(1, 'Name a command: replay, record, serve, verify, import or export.')
    .strict()
    .recommendCommands()
    .env(false)
    .help()
    .alias('h', 'help')
    .version()
    .wrap(asksForHelp(argv) ? Math.min(110, process.stdout.columns || 100) : null)
    .fail((message, err) => {
      if (err) throw err;
      throw new ExitError(EXIT.badInput, `${message}\nRun "mockdeck --help" for usage.`);
    })
    .parseAsync();
}

main().catch((err: unknown) => {
  process.exitCode = reportError(err);
});
