import type { CoverageCount, FindingKind, VerifyReport } from './verify-report.js';

const SHORT: Record<FindingKind, string> = {
  'uncovered-operation': 'uncovered',
  'unmatched-recording': 'unmatched',
  'response-drift': 'response',
  'request-drift': 'request',
  'stale-recording': 'stale',
};

/**
 * The report as a person reads it: a table of operations (recordings,
 * findings), coverage per tag, then every finding on its own line.
 *
 * @example
 * process.stdout.write(formatVerifyText(report))
 */
export function formatVerifyText(report: VerifyReport): string {
  const lines: string[] = [];
  const cassettes = report.cassettes.map((c) => `${c.name} (${c.interactions})`).join(', ') || 'none';
  lines.push(`mockdeck verify: ${report.spec.title} ${report.spec.version} (${report.spec.file}) against cassettes ${cassettes}`, '');
  const perOp = new Map<string, string[]>();
  for (const f of report.findings) if (f.operationId !== null) perOp.set(f.operationId, [...(perOp.get(f.operationId) ?? []), SHORT[f.kind]]);
  const rows = report.operations.map((op) => [op.operationId, op.method, op.path, String(op.recordings), summarize(perOp.get(op.operationId) ?? [])]);
  lines.push(...table(['operation', 'method', 'path', 'recorded', 'findings'], rows, [3]), '');
  const tags = Object.entries(report.coverage.byTag).map(([tag, c]) => `${tag} ${cover(c)}`);
  lines.push(`coverage: ${tags.join(', ')}${tags.length > 0 ? '; ' : ''}overall ${cover(report.coverage.overall)}`);
  for (const c of report.cassettes) {
    if (c.recordedAgainst && !c.sameSpec) lines.push(`note: cassette "${c.name}" was recorded against ${c.recordedAgainst.title} ${c.recordedAgainst.version} (sha256 ${c.recordedAgainst.sha256.slice(0, 12)}…), not this spec file`);
  }
  lines.push('');
  if (report.findings.length > 0) {
    lines.push(`findings (${report.findings.length}):`);
    const findingRows = report.findings.map((f) => [SHORT[f.kind], f.cassette ?? '', f.operationId ?? '-', f.message]);
    lines.push(...table(['kind', 'cassette', 'operation', 'detail'], findingRows, []).map((l) => `  ${l}`), '');
  }
  const counts = (Object.keys(SHORT) as FindingKind[]).filter((k) => report.counts[k] > 0).map((k) => `${report.counts[k]} ${SHORT[k]}`);
  lines.push(report.ok ? `ok: no drift${counts.length > 0 ? ` (${counts.join(', ')} within --min-coverage ${report.options.minCoverage}%)` : ''}` : `drift found: ${counts.join(', ')}`);
  return lines.join('\n') + '\n';
}

function summarize(kinds: string[]): string {
  if (kinds.length === 0) return 'ok';
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => (k === 'uncovered' ? k : `${n} ${k}`)).join(', ');
}

const cover = (c: CoverageCount): string => `${c.covered}/${c.total} (${c.percent}%)`;

/** Left-aligned columns (right-aligned for the indexes in `right`), two spaces apart. */
function table(head: string[], rows: string[][], right: number[]): string[] {
  const widths = head.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, col) => (col === cells.length - 1 ? cell : right.includes(col) ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}
