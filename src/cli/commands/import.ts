import type { CommandModule } from 'yargs';
import type { ImportSummary } from '../../alignment/index.js';

interface ImportArgs {
  format: 'har' | 'postman';
  file: string;
  cassette: string;
  cassettes?: string;
  spec?: string;
  redact?: string[];
}

export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <format> <file>',
  describe: 'Import a HAR 1.2 file or a Postman v2.1 collection (saved examples) into a cassette, all or nothing',
  builder: (y) =>
    y
      .positional('format', { choices: ['har', 'postman'] as const, describe: 'har: browser devtools / proxy HAR 1.2; postman: collection v2.1 with saved example responses' })
      .positional('file', { type: 'string', describe: 'File to import' })
      .options({
        cassette: { type: 'string', demandOption: true, describe: 'Cassette (folder under --cassettes) to merge into; created when missing' },
        cassettes: { type: 'string', default: 'cassettes', describe: 'Folder holding one sub-folder per cassette' },
        spec: { type: 'string', describe: 'OpenAPI document: tags interactions by operation and checks responses, like record' },
        redact: { type: 'string', array: true, describe: 'Also redact this header/query name, or JSON pointer (/password) in bodies' },
      })
      .example('$0 import har session.har --cassette checkout --spec api.yaml', 'A browser session into cassettes/checkout, tagged and redacted like a recording')
      .example('$0 import postman qa.postman_collection.json --cassette qa --spec api.yaml', 'Saved example responses become interactions') as never,
  handler: async (args) => {
    // Loaded on use: alignment pulls in Postman and HAR libraries that replay never needs.
    const { createProgress, importHar, importPostman } = await import('../../alignment/index.js');
    const progress = createProgress(process.stderr, 'import');
    const options = { cassettesDir: args.cassettes ?? 'cassettes', cassette: args.cassette, spec: args.spec ?? null, redact: args.redact ?? [], onProgress: progress.update };
    let summary: ImportSummary;
    try {
      summary = args.format === 'har' ? await importHar(args.file, options) : await importPostman(args.file, options);
    } finally {
      progress.stop();
    }
    process.stdout.write(describeImport(args.file, summary));
  },
};

function describeImport(file: string, s: ImportSummary): string {
  const lines = [`imported ${file} into cassette "${s.cassette}" (${s.dir}): ${s.added} new interaction(s), ${s.duplicates} already there`];
  const ops = Object.entries(s.byOperation).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const width = Math.max(0, ...ops.map(([op]) => op.length));
  for (const [op, n] of ops) lines.push(`  ${op.padEnd(width)}  ${n}`);
  if (s.skipped.length > 0) {
    lines.push(`skipped ${s.skipped.length}:`);
    for (const note of s.skipped) lines.push(`  ${note.where}: ${note.reason}`);
  }
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}
