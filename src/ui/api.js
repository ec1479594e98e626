// The page talks to the admin API only, relative to /__mockdeck/ui, so the
// same files work under any base path. The session cookie rides along.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let onDenied = () => {};
/** Called once when the session is gone (401/403): the page shows how to get back in. */
export function whenDenied(fn) {
  onDenied = fn;
}

export async function api(path, { method = 'GET', body, query } = {}) {
  const qs = query ? Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '') : [];
  const url = qs.length ? `${path}?${new URLSearchParams(qs)}` : path;
  const init = { method, headers: { accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text };
  }
  if (!res.ok) {
    if (res.status === 401 || res.status === 403) onDenied();
    throw new ApiError(res.status, data);
  }
  return data;
}

/** The problem's own words, with its pointer findings. */
export function problemText(err) {
  const p = err?.problem;
  if (!p) return String(err?.message ?? err);
  const findings = Array.isArray(p.errors) ? p.errors.map((e) => `${e.pointer}: ${e.message}`).join('; ') : '';
  return [p.detail ?? p.title ?? `HTTP ${err.status}`, findings].filter(Boolean).join(' — ');
}
