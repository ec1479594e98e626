import type { CommandModule } from 'yargs';
import type { VerifyReport } from '../../alignment/index.js';
import { MockdeckError } from '../../errors.js';
import { parseDuration } from '../duration.js';
import { EXIT, ExitError } from '../output.js';

type Format = 'text' | 'json' | 'junit';

interface VerifyArgs {
  spec: string;
  cassettes?: string;
  cassette?: string[];
  'max-age'?: string;
  'min-coverage': number;
  format: Format;
}

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify',
  describe: 'Check cassettes against the spec: coverage, unmatched recordings, response/request drift, stale recordings',
  builder: (y) =>
    y
      .options({
        spec: { type: 'string', default: 'specs/petstore.yaml', describe: 'OpenAPI document to verify against (as it is now)' },
        cassettes: { type: 'string', default: 'cassettes', describe: 'Folder holding one sub-folder per cassette' },
        cassette: { type: 'string', array: true, describe: 'Cassette(s) to check; default: all in --cassettes' },
        'max-age': { type: 'string', describe: 'Recordings older than this are stale (e.g. 30d, 12h); default: no age check' },
        'min-coverage': { type: 'number', default: 100, describe: 'Overall operation coverage (%) below which uncovered operations fail the run' },
        format: { choices: ['text', 'json', 'junit'] as const, default: 'text' as const, describe: 'text for people, json or junit for CI' },
      })
      .example('$0 verify --spec api.yaml --cassette checkout --max-age 30d', 'A table of operations and every drift finding; exit 1 on drift')
      .example('$0 verify --format junit > verify.xml', 'One JUnit testcase per operation, for CI test viewers')
      .example('$0 verify --format json --min-coverage 80', 'Machine-readable report; uncovered operations fail only below 80% coverage') as never,
  handler: async (args) => {
    const minCoverage = args['min-coverage'];
    if (!Number.isFinite(minCoverage) || minCoverage < 0 || minCoverage > 100) {
      throw new MockdeckError('MOCKDECK_ERR_CLI_USAGE', { reason: `--min-coverage expects a percentage from 0 to 100; got ${String(minCoverage)}` });
    }
    const maxAgeMs = args['max-age'] === undefined ? null : parseDuration(args['max-age'], '--max-age');
    // Loaded on use: alignment pulls in Postman and HAR libraries that replay never needs.
    const { createProgress, formatVerifyJunit, formatVerifyText, verifyFiles } = await import('../../alignment/index.js');
    const progress = createProgress(process.stderr, 'verify');
    let report: VerifyReport;
    try {
      report = await verifyFiles({ specFile: args.spec, cassettesDir: args.cassettes ?? 'cassettes', names: args.cassette ?? [], maxAgeMs, minCoverage, onProgress: progress.update });
    } finally {
      progress.stop();
    }
    process.stdout.write(render(report, args.format, { text: formatVerifyText, junit: formatVerifyJunit }));
    if (!report.ok) throw new ExitError(EXIT.checkFailed, args.format === 'text' ? '' : `drift found: ${report.counts.total} finding(s); see the ${args.format} report`);
  },
};

type Formatter = (report: VerifyReport) => string;

function render(report: VerifyReport, format: Format, formatters: { text: Formatter; junit: Formatter }): string {
  switch (format) {
    case 'text':
      return formatters.text(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'junit':
      return formatters.junit(report);
    default: {
      const never: never = format;
      throw new TypeError(`unknown format ${String(never)}`);
    }
  }
}
