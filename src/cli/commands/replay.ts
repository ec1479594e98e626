import type { CommandModule } from 'yargs';
import { createMock, type Mock } from '../../server/create-mock.js';
import { releaseLoadGarbage } from '../release-load-garbage.js';
import type { OnMiss } from '../../config.js';
import { apiKeysFrom, logOption, serverOptions } from '../shared-options.js';
import { describeServing } from '../describe-serving.js';
import { runUntilSignal } from '../run-until-signal.js';
import { watchMock } from '../watch.js';
import { embeddedDefault } from '../embedded-default.js';

interface ReplayArgs {
  spec?: string;
  cassettes?: string;
  cassette?: string[];
  host: string;
  port: number;
  'on-miss': OnMiss;
  target?: string;
  insecure: boolean;
  'api-key'?: string[];
  'validate-requests': boolean;
  latency: string;
  watch: boolean;
}

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay',
  describe: 'Serve recorded cassettes, falling back to the spec for anything never recorded',
  builder: (y) =>
    y
      .options({
        spec: { type: 'string', describe: 'OpenAPI 2.0/3.0/3.1 document (YAML or JSON); default: specs/petstore.yaml here, else the one shipped with mockdeck' },
        ...serverOptions,
        cassette: { type: 'string', array: true, describe: 'Cassette(s) to load, in layer order (later wins); default: all in --cassettes' },
        'on-miss': { choices: ['spec', '404', 'proxy'] as const, default: 'spec' as const, describe: 'What answers a request no cassette matches' },
        target: { type: 'string', describe: 'Upstream origin for --on-miss proxy' },
        insecure: { type: 'boolean', default: false, describe: "With --on-miss proxy: do not verify an https target's certificate; verified by default" },
        'api-key': { type: 'string', array: true, describe: 'Require one of these keys (x-api-key header); also MOCKDECK_API_KEYS' },
        'validate-requests': { type: 'boolean', default: false, describe: 'Answer 422 for requests that break the spec' },
        latency: { type: 'string', default: 'none', describe: 'none | recorded | <ms>' },
        watch: { type: 'boolean', default: false, describe: 'Reload spec and cassettes when they change' },
      })
      .example('$0 replay', 'Serve the embedded petstore spec and cassettes on http://127.0.0.1:4010')
      .example('$0 replay --spec api.yaml --cassette happy-path --on-miss 404', 'Only recorded answers; 404 with near misses otherwise')
      .example('$0 replay --api-key s3cret --latency recorded', 'A gated mock replaying recorded timings') as never,
  handler: async (args) => {
    const latency = args.latency === 'none' || args.latency === 'recorded' ? args.latency : Number.isFinite(Number(args.latency)) ? Number(args.latency) : args.latency;
    const serving = embeddedDefault(args.spec, args.cassettes);
    const mock = await createMock({
      spec: serving.spec,
      cassettesDir: serving.cassettes,
      requireCassettesDir: args.cassettes !== undefined,
      cassettes: args.cassette,
      host: args.host,
      port: args.port,
      onMiss: args['on-miss'],
      target: args.target,
      insecure: args.insecure,
      access: { apiKeys: apiKeysFrom(args['api-key']) },
      adminKey: process.env['MOCKDECK_ADMIN_KEY'] || undefined,
      validateRequests: args['validate-requests'],
      latency: latency as never,
      log: logOption(),
    });
    await startAndReport(mock, args.watch);
  },
};

export async function startAndReport(mock: Mock, watch: boolean): Promise<void> {
  releaseLoadGarbage(mock.runtime.state.index.size);
  const url = await mock.listen();
  for (const w of mock.runtime.state.warnings) process.stderr.write(`mockdeck: warning: ${w}\n`);
  process.stdout.write(describeServing(mock.runtime, url) + '\n');
  const stopWatching = watch ? watchMock(mock.runtime, (line) => process.stderr.write(line + '\n')) : () => undefined;
  await runUntilSignal(async () => {
    stopWatching();
    await mock.close();
  });
}
