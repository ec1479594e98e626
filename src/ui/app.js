// mockdeck QA dashboard: plain ES modules, no framework, no build step.
import { whenDenied } from './api.js';
import { addMockOption, filterByMock, startJournal } from './journal.js';
import { renderOverview } from './overview.js';

const $ = (id) => document.getElementById(id);
const VIEWS = ['overview', 'journal'];

function route() {
  const view = VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'overview';
  for (const v of VIEWS) {
    $(`view-${v}`).hidden = v !== view;
    const tab = $(`tab-${v}`);
    if (v === view) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  document.title = `mockdeck · ${view === 'journal' ? 'Journal' : 'Overview'}`;
}

function showBanner(text) {
  const banner = $('banner');
  banner.replaceChildren(text + ' ');
  const again = document.createElement('a');
  again.href = 'ui';
  again.textContent = 'Enter the key again';
  banner.append(again);
  banner.hidden = false;
}

async function main() {
  document.body.dataset.ready = 'no';
  $('logout').hidden = document.body.dataset.session !== 'yes';
  whenDenied(() => showBanner('The dashboard session has ended or the key no longer opens this mock.'));
  window.addEventListener('hashchange', () => {
    route();
    $('main').focus({ preventScroll: true });
  });
  route();
  startJournal();
  const mocks = await renderOverview($('mocks'), (name) => filterByMock(name));
  for (const m of mocks) addMockOption(m.name);
  document.body.dataset.ready = 'yes';
}

main();
