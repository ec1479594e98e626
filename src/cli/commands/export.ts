import { rename, writeFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { MockdeckError } from '../../errors.js';
import { EXIT, ExitError } from '../output.js';

interface ExportArgs {
  format: 'har' | 'postman';
  cassette?: string;
  spec?: string;
  cassettes?: string;
  out?: string;
  'base-url'?: string;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <format>',
  describe: 'Export a cassette as HAR 1.2 or a Postman collection, or a spec as a Postman collection aimed at the mock',
  builder: (y) =>
    y
      .positional('format', { choices: ['har', 'postman'] as const, describe: 'har (from --cassette) or postman (from --cassette or --spec)' })
      .options({
        cassette: { type: 'string', describe: 'Cassette to export' },
        spec: { type: 'string', describe: 'OpenAPI document to turn into a Postman collection (postman only)' },
        cassettes: { type: 'string', default: 'cassettes', describe: 'Folder holding one sub-folder per cassette' },
        out: { type: 'string', describe: 'Write to this file instead of stdout' },
        'base-url': { type: 'string', describe: 'Origin for URLs: HAR default the recorded target, Postman {{baseUrl}} default http://127.0.0.1:4010' },
      })
      .conflicts('cassette', 'spec')
      .check((args) => {
        if (args.format === 'har' && args.cassette === undefined) throw usage('export har needs --cassette NAME (a spec has no recorded traffic to put in a HAR).');
        if (args.format === 'postman' && args.cassette === undefined && args.spec === undefined) throw usage('export postman needs --cassette NAME or --spec FILE.');
        return true;
      })
      .example('$0 export har --cassette petstore --out petstore.har', 'Open the recorded traffic in browser devtools or any HAR viewer')
      .example('$0 export postman --spec api.yaml --out api.postman_collection.json', 'A collection whose {{baseUrl}} is the mock, for Postman or newman')
      .example('$0 export postman --cassette petstore', 'Requests with their recorded answers as saved examples') as never,
  handler: async (args) => {
    // Loaded on use: alignment pulls in Postman and HAR libraries that replay never needs.
    const { exportHar, exportPostman } = await import('../../alignment/index.js');
    const base = args['base-url'] === undefined ? {} : { baseUrl: args['base-url'] };
    const cassettesDir = args.cassettes ?? 'cassettes';
    const document =
      args.format === 'har'
        ? await exportHar({ cassettesDir, cassette: args.cassette as string, ...base })
        : args.spec !== undefined
          ? await exportPostman({ specFile: args.spec, ...base })
          : await exportPostman({ cassettesDir, cassette: args.cassette as string, ...base });
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (args.out === undefined) return void process.stdout.write(text);
    await writeOut(args.out, text);
    process.stderr.write(`wrote ${args.out}\n`);
  },
};

/** A usage error from the argument check: exit 2 with the fix, like every other bad flag. */
const usage = (message: string): ExitError => new ExitError(EXIT.badInput, `${message}\nRun "mockdeck export --help" for usage.`);

/** Temp file + rename: a failed export never leaves half a file where the old one was. */
async function writeOut(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (err) {
    throw new MockdeckError('MOCKDECK_ERR_EXPORT_FAILED', { what: file, reason: `cannot write it (${(err as Error).message})` }, { cause: err });
  }
}
