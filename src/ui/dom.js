// Tiny DOM helpers. Text always goes in as text nodes, never as HTML, so
// recorded bodies and headers cannot inject markup into the page.

/**
 * Creates an element: h('button', { class: 'primary', onclick: fn }, 'Send').
 * Props starting with "on" are listeners; `false`/`null`/`undefined` props are skipped.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'checked' || name === 'value' || name === 'disabled' || name === 'hidden') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function replaceChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** 12:04:31.087 in local time. */
export function clock(iso) {
  const d = new Date(iso);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export const statusClass = (status) => `status s${String(status)[0]}`;

/** A source shown by colour, shape and text, so it reads without colour too. */
export function sourceBadge(source) {
  return h('span', { class: `badge src-${source}`, title: SOURCE_HELP[source] ?? source }, source);
}

const SOURCE_HELP = {
  cassette: 'Replayed from a recorded cassette',
  spec: 'Generated from the OpenAPI spec (no recording matched)',
  proxy: 'Forwarded to the real target',
  mockdeck: "mockdeck's own answer (unknown path, no recording, gate)",
};

/** Header value by name, case-insensitive; arrays joined. */
export function headerOf(headers, name) {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  if (key === undefined) return undefined;
  const value = headers[key];
  return Array.isArray(value) ? value.join(', ') : String(value);
}
