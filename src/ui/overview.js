import { api, problemText } from './api.js';
import { h, replaceChildren } from './dom.js';
import { renderTryIt } from './try-it.js';

const ON_MISS = {
  spec: 'answer from the spec',
  404: '404 with the near misses',
  proxy: 'forward to the target',
};

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

function accessText(access) {
  if (access.kind === 'public') return 'public (no key)';
  const where = access.in === 'bearer' ? 'Authorization: Bearer' : access.in === 'query' ? `query parameter ${access.name}` : `header ${access.name}`;
  return `API key in ${where}`;
}

function latencyText(latency) {
  if (!latency || latency.kind === 'none') return 'none';
  return latency.kind === 'recorded' ? 'as recorded' : `${latency.ms} ms`;
}

/** Operations grouped by tag, in the spec's order; an operation with two tags shows under both. */
export function groupByTag(operations) {
  const groups = new Map();
  for (const op of operations) {
    for (const tag of op.tags?.length ? op.tags : ['untagged']) {
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag).push(op);
    }
  }
  return groups;
}

function coverageBar(recorded, total, label) {
  const bar = h('div', { class: 'bar', role: 'img', 'aria-label': `${label}: ${recorded} of ${total} operations recorded` });
  const rec = h('span', { class: 'rec' });
  rec.style.width = `${total ? (100 * recorded) / total : 0}%`;
  bar.append(rec);
  return bar;
}

function operationItem(mock, op) {
  const panelId = nextId('try');
  const panel = h('div', { class: 'try', id: panelId, hidden: true });
  const button = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': panelId, 'aria-label': `Try ${op.operationId}` }, 'Try it');
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    panel.hidden = !open;
    if (open && !panel.dataset.loaded) {
      panel.dataset.loaded = 'yes';
      renderTryIt(panel, mock, op);
    }
  });
  const badge = op.status === 'recorded' ? h('span', { class: 'badge recorded' }, `recorded (${op.recorded})`) : h('span', { class: 'badge spec-only' }, 'spec-only');
  return h(
    'li',
    { class: 'op', dataset: { operation: op.operationId, status: op.status, recorded: String(op.recorded) } },
    h('div', { class: 'op-row' }, h('span', { class: 'method' }, op.method), h('code', { class: 'op-path' }, op.path, op.summary ? h('span', { class: 'op-summary' }, op.summary) : null), h('span', { class: 'op-id' }, op.operationId), badge, button),
    panel,
  );
}

function tagSection(mock, tag, ops) {
  const recorded = ops.filter((o) => o.status === 'recorded').length;
  const headId = nextId('tag');
  return h(
    'section',
    { class: 'tag', dataset: { tag }, 'aria-labelledby': headId },
    h('div', { class: 'tag-head' }, h('h3', { id: headId }, tag), coverageBar(recorded, ops.length, tag), h('span', { class: 'ratio' }, `${recorded} of ${ops.length} recorded`)),
    h('ul', { class: 'ops' }, ops.map((op) => operationItem(mock, op))),
  );
}

function undocumentedSection(mock) {
  if (!mock.undocumented?.length) return null;
  const headId = nextId('tag');
  return h(
    'section',
    { class: 'tag', dataset: { tag: '(undocumented)' }, 'aria-labelledby': headId },
    h('div', { class: 'tag-head' }, h('h3', { id: headId }, 'undocumented'), h('span', { class: 'muted' }, 'recorded, but in no operation of the spec'), h('span', { class: 'ratio' }, `${mock.undocumented.length} endpoint${mock.undocumented.length === 1 ? '' : 's'}`)),
    h(
      'ul',
      { class: 'ops' },
      mock.undocumented.map((u) => h('li', { class: 'op', dataset: { undocumented: `${u.method} ${u.path}` } }, h('div', { class: 'op-row' }, h('span', { class: 'method' }, u.method), h('code', { class: 'op-path' }, u.path), h('span', { class: 'op-id' }, '—'), h('span', { class: 'badge undocumented' }, `undocumented (${u.count})`)))),
    ),
  );
}

function scenarioSwitch(mock) {
  const status = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const boxes = mock.cassettes.map((c) => h('input', { type: 'checkbox', name: 'layer', value: c.name, checked: mock.activeCassettes.includes(c.name) }));
  const show = (scenario) => {
    for (const box of boxes) box.checked = scenario.active.includes(box.value);
    status.textContent = scenario.all ? 'Every layer answers (the start state).' : scenario.active.length ? `Answering from: ${scenario.active.join(', ')}.` : 'No layer answers: every request takes the miss policy.';
  };
  const apply = async (active, button) => {
    button.disabled = true;
    try {
      show(await api('cassettes/active', { method: 'PUT', query: { mock: mock.name }, body: { active } }));
    } catch (err) {
      status.textContent = `Not changed: ${problemText(err)}`;
    } finally {
      button.disabled = false;
    }
  };
  const applyButton = h('button', { type: 'button', class: 'primary' }, 'Apply');
  applyButton.addEventListener('click', () => apply(boxes.filter((b) => b.checked).map((b) => b.value), applyButton));
  const allButton = h('button', { type: 'button' }, 'All layers');
  allButton.addEventListener('click', () => apply(null, allButton));
  show({ active: mock.activeCassettes, all: mock.activeCassettes.length === mock.cassettes.length });
  if (mock.cassettes.length === 0) return h('p', { class: 'muted' }, 'No cassette loaded: every request is answered by the miss policy.');
  return h(
    'fieldset',
    { class: 'scenario', dataset: { scenario: mock.name } },
    h('legend', null, 'Scenario: cassette layers that answer'),
    h('div', { class: 'layers' }, mock.cassettes.map((c, i) => h('label', null, boxes[i], c.name, h('span', { class: 'muted' }, ` (${c.interactions})`)))),
    h('div', { class: 'actions' }, applyButton, allButton),
    status,
    h('p', { class: 'note' }, 'Later layers win when two recorded the same request. Sticky until changed or restarted; the x-mockdeck-cassette request header still picks one cassette per request.'),
  );
}

function mockCard(mock, onJournal) {
  const headId = nextId('mock');
  const journalLink = h('a', { href: '#journal', class: 'to-journal' }, 'Journal of this mock');
  journalLink.addEventListener('click', () => onJournal(mock.name));
  const c = mock.counts;
  const groups = groupByTag(mock.operations);
  return h(
    'article',
    { class: 'mock', dataset: { mock: mock.name }, 'aria-labelledby': headId },
    h('header', { class: 'mock-head' }, h('h2', { id: headId }, mock.name), h('span', { class: 'spec' }, h('strong', { class: 'spec-title' }, mock.spec.title), ' ', h('span', { class: 'spec-version' }, mock.spec.version)), journalLink),
    h(
      'dl',
      { class: 'facts' },
      h('div', null, h('dt', null, 'URL'), h('dd', null, h('code', null, mock.url ?? (mock.basePath || '/')))),
      h('div', null, h('dt', null, 'Access'), h('dd', { class: 'access' }, accessText(mock.access))),
      h('div', null, h('dt', null, 'On a miss'), h('dd', { class: 'on-miss' }, `${mock.onMiss}: ${ON_MISS[mock.onMiss] ?? ''}`)),
      h('div', null, h('dt', null, 'Cassette layers'), h('dd', { class: 'layers' }, mock.cassettes.length ? mock.cassettes.map((l) => `${l.name} (${l.interactions})`).join(', ') : 'none')),
      h('div', null, h('dt', null, 'Latency'), h('dd', null, latencyText(mock.latency))),
      mock.recording ? h('div', null, h('dt', null, 'Recording'), h('dd', null, `into ${mock.recording.cassette} (mode ${mock.recording.mode})`)) : null,
    ),
    scenarioSwitch(mock),
    h(
      'ul',
      { class: 'chips', 'aria-label': 'Coverage' },
      h('li', { dataset: { count: 'operations' } }, h('strong', null, c.operations), ' operations'),
      h('li', { dataset: { count: 'recorded' } }, h('strong', null, c.recorded), ' recorded'),
      h('li', { dataset: { count: 'spec-only' } }, h('strong', null, c.specOnly), ' spec-only'),
      h('li', { dataset: { count: 'undocumented' } }, h('strong', null, c.undocumented), ' undocumented'),
      h('li', { dataset: { count: 'interactions' } }, h('strong', null, c.interactions), ' interactions'),
    ),
    [...groups].map(([tag, ops]) => tagSection(mock, tag, ops)),
    undocumentedSection(mock),
  );
}

/** Loads `GET mocks` and renders one card per mock. */
export async function renderOverview(container, onJournal) {
  try {
    const mocks = await api('mocks');
    replaceChildren(container, mocks.length ? mocks.map((m) => mockCard(m, onJournal)) : h('p', { class: 'muted' }, 'No mock is served.'));
    return mocks;
  } catch (err) {
    replaceChildren(container, h('p', { role: 'alert' }, `Could not load the mocks: ${problemText(err)}`));
    return [];
  }
}
