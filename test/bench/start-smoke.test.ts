import t from 'tap';
import { checkEntries, runSmoke } from './run-smoke.js';

t.test('bench smoke: cassette scale and startup run one short round', async (t) => {
  const { entries } = await runSmoke(t, ['cassette-scale', 'startup']);
  checkEntries(t, entries, /^cassette scale$/, 3);
  checkEntries(t, entries, /^startup \(petstore\)$/, 2);
  checkEntries(t, entries, /^startup \(GitHub spec\)$/, 2);
  t.ok(entries.filter((e) => e.unit === 'MB').every((e) => e.figure < 2000), 'RSS figures are in MB, not bytes');
});
