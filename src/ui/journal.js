import { api, problemText } from './api.js';
import { bodyView, headersTable } from './body-view.js';
import { clock, h, replaceChildren, sourceBadge, statusClass } from './dom.js';

const MAX_ROWS = 1000;
const entries = []; // summaries, newest first
const seen = new Set();
const $ = (id) => document.getElementById(id);

const keyOf = (e) => `${e.mock}:${e.id}`;

function filters() {
  return { mock: $('filter-mock').value, source: $('filter-source').value, status: $('filter-status').value, path: $('filter-path').value.trim().toLowerCase() };
}

function passes(e, f) {
  if (f.mock && e.mock !== f.mock) return false;
  if (f.source && e.source !== f.source) return false;
  if (f.status === 'err' ? e.status < 400 : f.status && String(e.status)[0] !== f.status) return false;
  if (f.path && !e.path.toLowerCase().includes(f.path)) return false;
  return true;
}

function row(e, fresh) {
  const open = () => openDetail(e);
  return h(
    'tr',
    {
      tabindex: 0,
      class: fresh ? 'fresh' : undefined,
      dataset: { key: keyOf(e), mock: e.mock, source: e.source, status: String(e.status), path: e.path },
      'aria-label': `${e.method} ${e.path}, ${e.status}, from ${e.source}${e.operation ? `, ${e.operation}` : ''}`,
      onclick: open,
      onkeydown: (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          open();
        } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
          ev.preventDefault();
          const next = ev.key === 'ArrowDown' ? ev.currentTarget.nextElementSibling : ev.currentTarget.previousElementSibling;
          next?.focus();
        }
      },
    },
    h('td', { class: 'c-time time' }, h('time', { datetime: e.time }, clock(e.time))),
    h('td', { class: 'c-mock' }, e.mock),
    h('td', { class: 'c-method' }, h('span', { class: 'method' }, e.method)),
    h('td', { class: 'c-path path' }, e.path),
    h('td', { class: 'c-status' }, h('span', { class: statusClass(e.status) }, e.status)),
    h('td', { class: 'c-source' }, sourceBadge(e.source)),
    h('td', { class: 'c-op' }, e.operation ?? ''),
    h('td', { class: 'c-ms num' }, e.ms.toFixed(e.ms < 10 ? 1 : 0)),
  );
}

function summary() {
  const f = filters();
  const shown = entries.filter((e) => passes(e, f)).length;
  $('journal-count').textContent = String(entries.length);
  $('journal-empty').hidden = shown > 0;
  $('journal-empty').textContent = entries.length === 0 ? 'No requests yet. Send one to a mock and it appears here at once.' : 'No request matches these filters.';
  $('journal-summary').textContent = entries.length === 0 ? '' : shown === entries.length ? `${entries.length} requests` : `Showing ${shown} of ${entries.length} requests`;
}

function renderAll() {
  const f = filters();
  replaceChildren($('journal-rows'), entries.filter((e) => passes(e, f)).map((e) => row(e, false)));
  summary();
}

function add(e, live) {
  if (seen.has(keyOf(e))) return;
  seen.add(keyOf(e));
  entries.unshift(e);
  const tbody = $('journal-rows');
  if (entries.length > MAX_ROWS) {
    const gone = entries.pop();
    seen.delete(keyOf(gone));
    tbody.querySelector(`tr[data-key="${CSS.escape(keyOf(gone))}"]`)?.remove();
  }
  addMockOption(e.mock);
  if (passes(e, filters())) tbody.prepend(row(e, live));
  summary();
}

export function addMockOption(name) {
  const select = $('filter-mock');
  if ([...select.options].some((o) => o.value === name)) return;
  select.append(h('option', { value: name }, name));
}

/** Live journal over server-sent events; EventSource reconnects by itself, the backlog fills any gap. */
export function startJournal() {
  const live = $('live');
  const state = (s, text) => {
    live.dataset.state = s;
    live.textContent = text;
  };
  let ready = false;
  const source = new EventSource('events');
  source.addEventListener('entry', (ev) => add(JSON.parse(ev.data), ready));
  source.addEventListener('ready', () => {
    ready = true;
    state('live', 'live');
  });
  source.addEventListener('error', () => {
    ready = false;
    state('reconnecting', source.readyState === EventSource.CLOSED ? 'disconnected — reload the page' : 'reconnecting…');
  });
  for (const id of ['filter-mock', 'filter-source', 'filter-status']) $(id).addEventListener('change', renderAll);
  $('filter-path').addEventListener('input', renderAll);
  $('filters').addEventListener('submit', (ev) => ev.preventDefault());
  $('clear-view').addEventListener('click', () => {
    entries.length = 0;
    renderAll();
  });
  const dialog = $('detail');
  $('detail-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => returnFocus?.focus?.());
  dialog.addEventListener('click', (ev) => {
    if (ev.target === dialog) dialog.close(); // a click on the backdrop
  });
  summary();
  return source;
}

/** Shows the journal for one mock (from the overview's "Journal" link). */
export function filterByMock(name) {
  addMockOption(name);
  $('filter-mock').value = name;
  renderAll();
}

let returnFocus = null;

async function openDetail(e) {
  const dialog = $('detail');
  if (!dialog.open) returnFocus = document.activeElement;
  $('detail-title').textContent = `${e.method} ${e.path} → ${e.status}`;
  replaceChildren($('detail-body'), h('p', { class: 'muted' }, 'Loading…'));
  if (!dialog.open) dialog.showModal();
  try {
    const full = await api(`requests/${e.id}`, { query: { mock: e.mock } });
    replaceChildren($('detail-body'), detail(full));
  } catch (err) {
    replaceChildren($('detail-body'), h('p', { role: 'alert' }, `This request is no longer available: ${problemText(err)}`));
  }
}

function detail(e) {
  const meta = [
    ['Source', sourceBadge(e.source)],
    ['Status', h('span', { class: statusClass(e.status) }, e.status)],
    ['Mock', e.mock],
    ['Operation', e.operation ?? '—'],
    e.cassette ? ['Cassette', e.cassette] : null,
    e.interaction ? ['Interaction', h('code', null, e.interaction)] : null,
    ['Duration', `${e.ms} ms`],
    ['Time', new Date(e.time).toLocaleString()],
  ].filter(Boolean);
  const side = (title, msg) =>
    h('section', { 'aria-label': title }, h('h3', null, title), headersTable(msg.headers, `${title} headers`), bodyView(msg, title));
  return [
    h('ul', { class: 'meta' }, meta.map(([k, v]) => h('li', null, h('span', null, `${k}: `), v))),
    h('div', { class: 'exchange' }, side('Request', e.request), side('Response', e.response)),
    nearMisses(e),
  ];
}

function nearMisses(e) {
  const misses = e.nearMisses ?? [];
  if (misses.length === 0) {
    return e.source === 'spec' ? h('section', { class: 'near' }, h('h3', null, 'Why no cassette matched'), h('p', { class: 'muted' }, 'Nothing was recorded for this operation, so there is no near miss to compare.')) : null;
  }
  return h(
    'section',
    { class: 'near', 'aria-label': 'Near misses' },
    h('h3', null, 'Why no cassette matched: the closest recordings'),
    h(
      'ol',
      null,
      misses.map((m) =>
        h('li', null, h('strong', null, `${m.method} ${m.path}`), ` `, h('span', { class: 'muted' }, `(${m.operationId ?? 'undocumented'}, distance ${m.distance}, interaction ${m.interactionId})`), h('ul', null, (m.reasons ?? []).map((r) => h('li', null, r)))),
      ),
    ),
  );
}
