import { api, problemText } from './api.js';
import { bodyView, headersTable } from './body-view.js';
import { h, headerOf, replaceChildren, sourceBadge, statusClass } from './dom.js';

/** Keys typed by the tester, per mock, for this page's life only (never stored, never in a URL). */
const typedKeys = new Map();

let uid = 0;

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select and copy';
  }
  setTimeout(() => (button.textContent = 'Copy'), 1500);
}

function answerView(answer) {
  const source = headerOf(answer.headers, 'x-mockdeck-source');
  return h(
    'div',
    { class: 'answer', role: 'region', 'aria-label': 'Answer' },
    h('h4', null, h('span', { class: statusClass(answer.status) }, answer.status), source ? sourceBadge(source) : null, h('span', { class: 'muted' }, `${answer.ms} ms${answer.truncated ? `, first 1 MiB of ${answer.size} bytes` : ''}`)),
    h('details', null, h('summary', null, 'Headers'), headersTable(answer.headers, 'Answer headers')),
    bodyView(answer, 'Answer'),
  );
}

/** "Try it" for one operation: the curl line (key as a placeholder) and a Send button. */
export async function renderTryIt(panel, mock, op) {
  replaceChildren(panel, h('p', { class: 'muted' }, 'Preparing an example…'));
  let ex;
  try {
    ex = await api(`operations/${encodeURIComponent(op.operationId)}/example`, { query: { mock: mock.name } });
  } catch (err) {
    replaceChildren(panel, h('p', { role: 'alert' }, `No example: ${problemText(err)}`));
    return;
  }
  const n = ++uid;
  const curl = h('pre', { class: 'curl-line', tabindex: 0, 'aria-label': 'curl command' }, h('code', null, ex.curl));
  const copyButton = h('button', { type: 'button' }, 'Copy');
  copyButton.addEventListener('click', () => copy(ex.curl, copyButton));
  const path = h('input', { type: 'text', id: `try-path-${n}`, value: ex.path, spellcheck: 'false', autocomplete: 'off' });
  const hasBody = ex.body !== null || ['POST', 'PUT', 'PATCH'].includes(ex.method);
  const body = hasBody ? h('textarea', { id: `try-body-${n}`, spellcheck: 'false', value: ex.body ?? '' }) : null;
  const key = ex.key ? h('input', { type: 'password', id: `try-key-${n}`, autocomplete: 'off', value: typedKeys.get(mock.name) ?? '' }) : null;
  const send = h('button', { type: 'submit', class: 'primary' }, `Send ${ex.method}`);
  const out = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'try-form' },
    h('div', { class: 'row' }, h('label', { for: path.id }, 'Path', path), key ? h('label', { for: key.id }, `API key (${ex.key.in === 'bearer' ? 'bearer' : ex.key.name})`, key) : null),
    body ? h('label', { for: body.id }, `Body${ex.headers['content-type'] ? ` (${ex.headers['content-type']})` : ''}`, body) : null,
    h('div', { class: 'row' }, send, h('span', { class: 'muted' }, ex.from === 'recording' ? 'A recorded request: it should hit the cassette.' : 'Built from the spec.')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (key) typedKeys.set(mock.name, key.value);
    send.disabled = true;
    replaceChildren(out, h('p', { class: 'muted' }, 'Sending…'));
    try {
      const headers = { ...ex.headers };
      const answer = await api('try', { method: 'POST', query: { mock: mock.name }, body: { method: ex.method, path: path.value, headers, body: body ? body.value || null : null, apiKey: key?.value || undefined } });
      replaceChildren(out, answerView(answer));
    } catch (err) {
      replaceChildren(out, h('p', { role: 'alert' }, `Not sent: ${problemText(err)}`));
    } finally {
      send.disabled = false;
    }
  });
  replaceChildren(panel, h('div', { class: 'curl' }, curl, copyButton), ex.key ? h('p', { class: 'muted' }, `Set ${ex.key.placeholder.slice(1)} in your shell first; the dashboard never shows the key.`) : null, form, out);
}
