import type { CommandModule } from 'yargs';
import { createMock } from '../../server/create-mock.js';
import type { RecordMode } from '../../config.js';
import type { RecordingForwarder } from '../../recorder/index.js';
import { parseDuration } from '../duration.js';
import { logOption, serverOptions } from '../shared-options.js';
import { describeServing } from '../describe-serving.js';
import { runUntilSignal } from '../run-until-signal.js';

interface RecordArgs {
  target: string;
  spec?: string;
  cassettes?: string;
  cassette: string;
  host: string;
  port: number;
  mode: RecordMode;
  redact?: string[];
  timeout: string;
  insecure: boolean;
}

export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record',
  describe: 'Proxy to a real API and record what passes into a cassette',
  builder: (y) =>
    y
      .options({
        target: { type: 'string', demandOption: true, describe: 'Origin (and optional base path) of the API to record, e.g. https://staging.example.com' },
        spec: { type: 'string', describe: 'OpenAPI document: tags interactions by operation and checks responses against it' },
        ...serverOptions,
        cassette: { type: 'string', default: 'default', describe: 'Cassette (folder under --cassettes) to record into' },
        mode: { choices: ['new', 'all', 'none'] as const, default: 'new' as const, describe: 'new: record unseen requests, replay the rest; all: re-record; none: never forward' },
        redact: { type: 'string', array: true, describe: 'Also redact this header/query name, or JSON pointer (/password) in bodies' },
        timeout: { type: 'string', default: '30s', describe: 'Upstream timeout (504 past it)' },
        insecure: { type: 'boolean', default: false, describe: "Do not verify an https target's certificate (a self-signed staging host); verified by default" },
      })
      .example('$0 record --target https://staging.example.com --spec api.yaml --cassette checkout', 'Record a session; point your client at http://127.0.0.1:4010')
      .example('$0 record --target http://127.0.0.1:8080 --redact x-session --redact /password', 'Redact more than the defaults') as never,
  handler: async (args) => {
    const mock = await createMock({
      name: args.cassette,
      spec: args.spec ?? null,
      cassettesDir: args.cassettes ?? 'cassettes',
      host: args.host,
      port: args.port,
      target: args.target,
      insecure: args.insecure,
      redact: args.redact,
      record: { cassette: args.cassette, mode: args.mode, timeoutMs: parseDuration(args.timeout, '--timeout') },
      adminKey: process.env['MOCKDECK_ADMIN_KEY'] || undefined,
      log: logOption(),
    });
    const url = await mock.listen();
    process.stdout.write(describeServing(mock.runtime, url) + '\n');
    await runUntilSignal(async () => {
      await mock.close();
      const forwarder = mock.forwarder as RecordingForwarder | null;
      if (forwarder) process.stdout.write('\n' + forwarder.stats.summary(args.cassette) + '\n');
    });
  },
};
