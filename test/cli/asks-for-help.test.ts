import t from 'tap';
import { asksForHelp } from '../../src/cli/asks-for-help.js';

// Help is wrapped to the terminal only when it may be printed; every other
// start skips the ~40 ms of wrapping yargs would spend on a help text nobody sees.
t.test('asksForHelp: true whenever yargs could print help', async (t) => {
  const table: Array<[string[], boolean]> = [
    [['--help'], true],
    [['replay', '--help'], true],
    [['replay', '-h'], true],
    [['replay', 'help'], true],
    [['help'], true],
    [['--help=true'], true],
    [['replay', '-vh'], true],
    [['replay'], false],
    [['replay', '--port', '0', '--spec', 'api.yaml'], false],
    [['replay', '--spec', 'help.yaml'], false],
    [['serve', '--host', '127.0.0.1'], false],
    [['--version'], false],
    [[], false],
  ];
  for (const [argv, expected] of table) t.equal(asksForHelp(argv), expected, argv.join(' ') || '(no arguments)');
});
