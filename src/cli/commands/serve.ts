import type { CommandModule } from 'yargs';
import type { DeckPlan } from '../../config-file/index.js';
import { MockdeckError } from '../../errors.js';
import { describeMock } from '../../server/admin/describe-mock.js';
import type { ServedMock } from '../../server/serve-many.js';
import { runUntilSignal } from '../run-until-signal.js';
import { releaseLoadGarbage } from '../release-load-garbage.js';

interface ServeArgs {
  config: string;
  host?: string;
  port?: number;
  'api-key'?: string[];
  'admin-key'?: string;
  'log-level'?: string;
}

/** How long stopping waits for in-flight requests before cutting them. */
const DRAIN_MS = 5_000;

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Serve several mocks from one config file, each on its own port or under a base path of a shared port',
  builder: (y) =>
    y
      .options({
        config: { type: 'string', default: 'mockdeck.config.yaml', describe: 'Config file (YAML or JSON); relative paths in it are relative to its folder' },
        host: { type: 'string', describe: 'Interface to listen on [overrides host: in the file; default 127.0.0.1]' },
        port: { type: 'number', describe: 'Shared port [overrides port: in the file; default 4010]' },
        'api-key': { type: 'string', array: true, describe: 'Gate every mock with these keys instead of the file\'s (also MOCKDECK_API_KEYS)' },
        'admin-key': { type: 'string', describe: 'Key for /__mockdeck/ of every mock (also MOCKDECK_ADMIN_KEY; overrides admin.key)' },
        'log-level': { type: 'string', describe: 'fatal|error|warn|info|debug|trace|silent (also MOCKDECK_LOG_LEVEL; overrides logLevel)' },
      })
      .example('$0 serve', 'Serve the mocks of ./mockdeck.config.yaml')
      .example('$0 serve --config qa/mocks.yaml --port 5000', 'Another file, shared port 5000')
      .example('MOCKDECK_ADMIN_KEY=… $0 serve', 'Guard every admin API with one key') as never,
  handler: async (args) => {
    if (args.port !== undefined && !(Number.isInteger(args.port) && args.port >= 0 && args.port <= 65535)) {
      throw new MockdeckError('MOCKDECK_ERR_CLI_USAGE', { reason: `--port must be a whole number from 0 to 65535, got ${String(args.port)}` });
    }
    // Loaded on use, so other commands do not pay for the config schema at start.
    const [{ loadConfigFile }, { serveMany }] = await Promise.all([import('../../config-file/index.js'), import('../../server/serve-many.js')]);
    const plan = await loadConfigFile(args.config, {
      env: process.env,
      flags: { host: args.host, port: args.port, apiKeys: args['api-key'], adminKey: args['admin-key'], logLevel: args['log-level'] },
    });
    const deck = await serveMany({ mocks: plan.mocks, file: plan.file, log: plan.logLevel.value === 'silent' ? false : { level: plan.logLevel.value }, drainMs: DRAIN_MS });
    const served = await deck.listen();
    releaseLoadGarbage(served.reduce((n, m) => n + m.runtime.state.index.size, 0));
    for (const m of served) for (const w of m.runtime.state.warnings) process.stderr.write(`mockdeck: warning: ${m.name}: ${w}\n`);
    process.stdout.write(describeDeck(plan, served) + '\n');
    await runUntilSignal(() => deck.close(), DRAIN_MS * 2);
  },
};

/** The start-up banner: every mock, its URL, access kind and coverage. Never a key. */
export function describeDeck(plan: DeckPlan, served: readonly ServedMock[]): string {
  const width = Math.max(...served.map((m) => m.name.length));
  const lines = [`mockdeck serve: ${served.length} mock${served.length === 1 ? '' : 's'} from ${plan.file}`];
  for (const m of served) {
    const d = describeMock(m.runtime);
    const access = d.access.kind === 'public' ? 'public' : `API key in ${d.access.in === 'bearer' ? 'Authorization: Bearer' : `${d.access.in} "${d.access.name}"`}`;
    const cassettes = d.cassettes.length ? d.cassettes.map((c) => `${c.name} (${c.interactions})`).join(', ') : 'none';
    lines.push(`  ${m.name.padEnd(width)}  ${m.url}`);
    lines.push(`  ${''.padEnd(width)}  ${d.spec.title} ${d.spec.version}: ${d.counts.operations} operations (${d.counts.recorded} recorded, ${d.counts.specOnly} spec-only); cassettes ${cassettes}; on miss ${d.onMiss}; ${access}`);
  }
  const admin = plan.adminKeyFrom ? `admin key (from ${plan.adminKeyFrom})` : 'a keyed mock\'s own API key; open on public mocks';
  lines.push(`  admin:  <mock url>/__mockdeck/ (openapi.json lists the routes), needs ${admin}`);
  if (plan.apiKeysFrom) lines.push(`  keys:   every mock is gated by the keys from ${plan.apiKeysFrom}`);
  lines.push(`  logs:   ${plan.logLevel.value} (from ${plan.logLevel.from})`);
  return lines.join('\n');
}
