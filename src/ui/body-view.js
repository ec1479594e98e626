import { h, headerOf } from './dom.js';

const JSON_TYPE = /[/+]json\b/i;

/** Pretty JSON as spans (keys, strings, numbers, literals), built from text nodes only. */
export function prettyJson(value) {
  const text = JSON.stringify(value, null, 2);
  const pre = h('pre', { class: 'body json', tabindex: 0 });
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  for (const m of text.matchAll(token)) {
    if (m.index > last) pre.append(text.slice(last, m.index));
    if (m[1] !== undefined) {
      pre.append(h('span', { class: m[2] ? 'j-key' : 'j-str' }, m[1]));
      if (m[2]) pre.append(m[2]);
    } else if (m[3] !== undefined) pre.append(h('span', { class: 'j-lit' }, m[3]));
    else pre.append(h('span', { class: 'j-num' }, m[4]));
    last = m.index + m[0].length;
  }
  pre.append(text.slice(last));
  return pre;
}

const byteLength = (msg) => (msg.bodyEncoding === 'base64' ? Math.floor((msg.body.length * 3) / 4) - (msg.body.endsWith('==') ? 2 : msg.body.endsWith('=') ? 1 : 0) : new TextEncoder().encode(msg.body).length);

/**
 * A body as the eye wants it: JSON pretty-printed, images shown, text as
 * text, other binary described. `msg` is {headers, body, bodyEncoding}.
 */
export function bodyView(msg, label) {
  if (msg.body === null || msg.body === undefined || msg.body === '') return h('p', { class: 'muted' }, '(no body)');
  const type = (headerOf(msg.headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type.startsWith('image/')) {
    const src = msg.bodyEncoding === 'base64' ? `data:${type};base64,${msg.body}` : `data:${type};charset=utf-8,${encodeURIComponent(msg.body)}`;
    return h('figure', { class: 'image' }, h('img', { class: 'body-image', src, alt: `${label} image (${type}, ${byteLength(msg)} bytes)` }), h('figcaption', { class: 'muted' }, `${type}, ${byteLength(msg)} bytes`));
  }
  if (msg.bodyEncoding === 'base64') {
    return h('div', null, h('p', { class: 'muted' }, `Binary body (${type || 'no content-type'}), ${byteLength(msg)} bytes; first bytes as base64:`), h('pre', { class: 'body', tabindex: 0 }, msg.body.slice(0, 400) + (msg.body.length > 400 ? '…' : '')));
  }
  if (JSON_TYPE.test(type) || type === '' || type === 'text/json') {
    try {
      return prettyJson(JSON.parse(msg.body));
    } catch {
      // Not JSON after all, or cut at the journal's size cap: shown as it is.
    }
  }
  return h('pre', { class: 'body', tabindex: 0 }, msg.body);
}

/** Headers as a two-column table. */
export function headersTable(headers, caption) {
  const names = Object.keys(headers ?? {});
  if (names.length === 0) return h('p', { class: 'muted' }, '(no headers)');
  return h(
    'table',
    { class: 'headers' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('tbody', null, names.map((name) => h('tr', null, h('th', { scope: 'row' }, name), h('td', null, Array.isArray(headers[name]) ? headers[name].join(', ') : String(headers[name]))))),
  );
}
