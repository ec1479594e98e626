import { UNTAGGED, type VerifyFinding, type VerifyReport } from './verify-report.js';

/**
 * The report as JUnit XML, the format CI viewers (GitHub test reporters,
 * GitLab, Jenkins) load: one testcase per operation of the spec, failing when
 * it is uncovered or any of its recordings drifted; a second suite holds one
 * testcase per request that matches no operation. Uncovered operations that
 * `--min-coverage` allows are `skipped`, not failures.
 *
 * @example
 * writeFileSync('verify.xml', formatVerifyJunit(report))
 */
export function formatVerifyJunit(report: VerifyReport): string {
  const byOp = new Map<string, VerifyFinding[]>();
  const unmatched = new Map<string, VerifyFinding[]>();
  for (const f of report.findings) {
    if (f.operationId !== null) byOp.set(f.operationId, [...(byOp.get(f.operationId) ?? []), f]);
    else unmatched.set(`${f.method} ${f.path}`, [...(unmatched.get(`${f.method} ${f.path}`) ?? []), f]);
  }
  const uncoveredFails = !report.ok && report.coverage.overall.percent < report.options.minCoverage;
  const opCases = report.operations.map((op) => {
    const found = byOp.get(op.operationId) ?? [];
    const onlyUncovered = found.length > 0 && found.every((f) => f.kind === 'uncovered-operation');
    const outcome: Outcome = found.length === 0 ? { kind: 'pass' } : onlyUncovered && !uncoveredFails ? { kind: 'skipped', message: found[0]!.message } : { kind: 'failure', findings: found };
    return testcase(op.tags[0] ?? UNTAGGED, `${op.operationId} (${op.method} ${op.path})`, outcome);
  });
  const suites = [suite(`${report.spec.title} ${report.spec.version}: operations`, opCases, report.checkedAt)];
  if (unmatched.size > 0) {
    const cases = [...unmatched].map(([name, found]) => testcase('unmatched', name, { kind: 'failure', findings: found }));
    suites.push(suite('recordings outside the spec', cases, report.checkedAt));
  }
  const totals = suites.reduce((t, s) => ({ tests: t.tests + s.tests, failures: t.failures + s.failures, skipped: t.skipped + s.skipped }), { tests: 0, failures: 0, skipped: 0 });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mockdeck verify" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="0">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

type Outcome = { kind: 'pass' } | { kind: 'skipped'; message: string } | { kind: 'failure'; findings: VerifyFinding[] };

interface Case {
  xml: string;
  outcome: Outcome['kind'];
}

function testcase(classname: string, name: string, outcome: Outcome): Case {
  const open = `    <testcase classname="${xml(classname)}" name="${xml(name)}" time="0"`;
  switch (outcome.kind) {
    case 'pass':
      return { xml: `${open}/>`, outcome: 'pass' };
    case 'skipped':
      return { xml: `${open}>\n      <skipped message="${xml(outcome.message)}"/>\n    </testcase>`, outcome: 'skipped' };
    case 'failure': {
      const kinds = [...new Set(outcome.findings.map((f) => f.kind))].join(', ');
      const message = `${outcome.findings.length} finding(s): ${kinds}`;
      const detail = outcome.findings.map((f) => `[${f.kind}]${f.cassette ? ` ${f.cassette}` : ''}${f.interactionId ? ` ${f.interactionId}` : ''}: ${f.message}`).join('\n');
      return { xml: `${open}>\n      <failure type="${xml(kinds)}" message="${xml(message)}">${xml(detail)}</failure>\n    </testcase>`, outcome: 'failure' };
    }
    default: {
      const never: never = outcome;
      throw new TypeError(`unknown outcome ${String(never)}`);
    }
  }
}

function suite(name: string, cases: Case[], timestamp: string): { xml: string; tests: number; failures: number; skipped: number } {
  const failures = cases.filter((c) => c.outcome === 'failure').length;
  const skipped = cases.filter((c) => c.outcome === 'skipped').length;
  const head = `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0" timestamp="${xml(timestamp.replace(/\.\d+Z$/, ''))}">`;
  return { xml: [head, ...cases.map((c) => c.xml), '  </testsuite>'].join('\n'), tests: cases.length, failures, skipped };
}

/** Escapes text for XML attributes and content, dropping characters XML 1.0 cannot carry. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
