import t from 'tap';
import { checkEntries, runSmoke } from './run-smoke.js';

t.test('bench smoke: the record proxy runs one short round for small, 1 MB and changing 1 MB bodies, and the disk ceiling for 1 MB', async (t) => {
  const { entries } = await runSmoke(t, ['record-proxy']);
  checkEntries(t, entries, /^record proxy \(small JSON\)$/, 3);
  checkEntries(t, entries, /^record proxy \(1 MB JSON\)$/, 5);
  checkEntries(t, entries, /^record proxy \(1 MB JSON, a new body each time\)$/, 1);
  t.equal(entries.filter((e) => e.target !== null).length, 2, 'two targets, the rest information');
});
