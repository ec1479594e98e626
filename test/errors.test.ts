import t from 'tap';
import { readFileSync } from 'node:fs';
import { ERRORS, MockdeckError, formatMessage, toProblem, type ErrorCode } from '../src/errors.js';
import { fromRoot } from './helpers/paths.js';

const CODE_SHAPE = /^MOCKDECK_ERR_[A-Z]+(_[A-Z0-9]+)+$/;

/** Rows `| \`CODE\` | status | title |` of the README's "## Errors" section, in order. */
function readmeErrorRows(): Array<{ code: string; status: number; title: string }> {
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const start = readme.search(/^## Errors\s*$/m);
  if (start === -1) return [];
  const rest = readme.slice(start + 1);
  const next = rest.search(/^## /m);
  const section = next === -1 ? rest : rest.slice(0, next);
  const rows: Array<{ code: string; status: number; title: string }> = [];
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*(\d{3})\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (m) rows.push({ code: m[1] as string, status: Number(m[2]), title: m[3] as string });
  }
  return rows;
}

t.test('the README error table is identical to the registry: codes, statuses, titles, order', async (t) => {
  const rows = readmeErrorRows();
  t.ok(rows.length > 0, 'README has an error table under "## Errors"');
  const registry = Object.entries(ERRORS).map(([code, e]) => ({ code, status: e.status, title: e.title }));
  t.same(rows.map((r) => r.code), registry.map((r) => r.code), 'same codes in the same order');
  t.same(rows, registry, 'same status and title for every code');
});

t.test('every code has the stable shape MOCKDECK_ERR_<AREA>_<WHAT>', async (t) => {
  for (const code of Object.keys(ERRORS)) {
    t.match(code, CODE_SHAPE, code);
  }
  for (const bad of ['MOCKDECK_ERR_SPEC', 'mockdeck_err_spec_parse', 'MOCKDECK_ERR__X', 'MOCKDECK_ERR_SPEC_parse', 'ERR_SPEC_PARSE']) {
    t.notMatch(bad, CODE_SHAPE, `the shape check rejects ${bad}`);
  }
});

t.test('every entry has a 4xx/5xx status, a title and a template', async (t) => {
  for (const [code, e] of Object.entries(ERRORS)) {
    t.ok(e.status >= 400 && e.status <= 599, `${code} status ${e.status}`);
    t.ok(e.title.trim().length > 0, `${code} has a title`);
    t.ok(e.template.trim().length > 0, `${code} has a template`);
  }
});

t.test('messages fill their template; unknown placeholders stay visible', async (t) => {
  t.equal(formatMessage('MOCKDECK_ERR_SPEC_PARSE', { file: 'a.yaml', line: 3, column: 7, reason: 'bad indent' }), 'a.yaml:3:7: bad indent');
  t.equal(formatMessage('MOCKDECK_ERR_SPEC_PARSE', { file: 'a.yaml' }), 'a.yaml:{line}:{column}: {reason}');
});

t.test('toProblem renders RFC 9457 problem details with a stable type', async (t) => {
  const code: ErrorCode = 'MOCKDECK_ERR_REQ_INVALID';
  const err = new MockdeckError(code, { count: 1, operationId: 'createPet' }, { extra: { errors: [{ pointer: '/body/name', message: 'is required' }] } });
  t.same(toProblem(err), {
    type: 'https://mockdeck.dev/errors/MOCKDECK_ERR_REQ_INVALID',
    title: 'Request does not match the spec',
    status: 422,
    detail: '1 violation(s) of createPet; see errors[] for each JSON pointer.',
    code,
    errors: [{ pointer: '/body/name', message: 'is required' }],
  });
});
