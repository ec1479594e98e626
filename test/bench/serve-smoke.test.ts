import t from 'tap';
import { checkEntries, runSmoke } from './run-smoke.js';

t.test('bench smoke: replay hit, spec fallback and gated each run one short round', async (t) => {
  const { entries, table } = await runSmoke(t, ['replay-hit', 'spec-fallback', 'gated']);
  checkEntries(t, entries, /^replay hit$/, 1);
  checkEntries(t, entries, /^spec fallback \((example|schema-generated)\)$/, 2);
  checkEntries(t, entries, /^gated$/, 1);
  t.match(table, /\| scenario \| figure \|/, 'prints the table');
});
