import type { MockRuntime } from '../server/mock-runtime.js';
import { describeMock } from '../server/admin/describe-mock.js';

/** The start-up banner: what is served, where, and how it is guarded (never the keys). */
export function describeServing(runtime: MockRuntime, url: string): string {
  const d = describeMock(runtime);
  const access = d.access.kind === 'public' ? 'public (no key needed)' : `API key required in ${d.access.in === 'bearer' ? 'Authorization: Bearer' : `${d.access.in} "${d.access.name}"`}`;
  const lines = [
    `mockdeck ${d.recording ? `recording into "${d.recording.cassette}" (mode ${d.recording.mode}) from ${runtime.config.target}` : 'replay'}: ${d.spec.title || '(no spec)'} ${d.spec.version}`.trimEnd(),
    `  url:        ${url}`,
    `  access:     ${access}`,
    `  cassettes:  ${d.cassettes.length ? d.cassettes.map((c) => `${c.name} (${c.interactions})`).join(', ') : 'none (spec only)'}`,
    `  on miss:    ${d.recording ? 'forward to target and record' : d.onMiss}`,
    `  operations: ${d.counts.operations} (${d.counts.recorded} recorded, ${d.counts.specOnly} spec-only)${d.counts.undocumented ? `, ${d.counts.undocumented} undocumented endpoints recorded` : ''}`,
  ];
  const width = Math.max(0, ...d.operations.map((o) => o.method.length + 1 + o.path.length));
  for (const op of d.operations.slice(0, 200)) {
    lines.push(`    ${`${op.method} ${op.path}`.padEnd(width)}  ${op.operationId}  ${op.status === 'recorded' ? `recorded ×${op.recorded}` : 'spec'}`);
  }
  if (d.operations.length > 200) lines.push(`    … and ${d.operations.length - 200} more (GET ${url}/__mockdeck/mocks lists all)`);
  lines.push(`  admin:      ${url}/__mockdeck/ui`);
  return lines.join('\n');
}
