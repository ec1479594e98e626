import type { Interaction } from '../types.js';

interface OperationStats {
  recorded: number;
  replayed: number;
  findings: number;
}

/** Counts what a recording session did, for the summary printed on stop. */
export class RecordingStats {
  readonly byOperation = new Map<string, OperationStats>();
  readonly undocumented = new Map<string, number>();
  readonly driftFindings: Array<{ operationId: string | null; pointer: string; message: string }> = [];
  readonly failures: string[] = [];

  private entry(op: string): OperationStats {
    let s = this.byOperation.get(op);
    if (!s) this.byOperation.set(op, (s = { recorded: 0, replayed: 0, findings: 0 }));
    return s;
  }

  recorded(i: Interaction): void {
    const s = this.entry(i.operationId ?? '(undocumented)');
    s.recorded++;
    if (i.operationId === null) {
      const key = `${i.request.method} ${i.request.path}`;
      this.undocumented.set(key, (this.undocumented.get(key) ?? 0) + 1);
    } else if (!i.alignment.ok) {
      s.findings += i.alignment.findings.length;
      for (const f of i.alignment.findings.slice(0, 20)) this.driftFindings.push({ operationId: i.operationId, ...f });
    }
  }

  replayed(operationId: string | null): void {
    this.entry(operationId ?? '(undocumented)').replayed++;
  }

  /** A write that failed: every interaction it held is reported, by request and id. */
  failed(err: Error, interaction?: Interaction): void {
    this.failures.push(interaction ? `${interaction.request.method} ${interaction.request.path} (${interaction.id}): ${err.message}` : err.message);
  }

  get totals(): { recorded: number; replayed: number } {
    let recorded = 0;
    let replayed = 0;
    for (const s of this.byOperation.values()) {
      recorded += s.recorded;
      replayed += s.replayed;
    }
    return { recorded, replayed };
  }

  /** Human-readable summary for the terminal. */
  summary(cassette: string): string {
    const lines = [`Recorded into cassette "${cassette}": ${this.totals.recorded} new, ${this.totals.replayed} replayed.`];
    const ops = [...this.byOperation].sort(([a], [b]) => a.localeCompare(b));
    if (ops.length > 0) {
      const width = Math.max(9, ...ops.map(([op]) => op.length));
      lines.push('', `  ${'operation'.padEnd(width)}  new  replayed  drift`);
      for (const [op, s] of ops) lines.push(`  ${op.padEnd(width)}  ${String(s.recorded).padStart(3)}  ${String(s.replayed).padStart(8)}  ${String(s.findings).padStart(5)}`);
    }
    if (this.undocumented.size > 0) {
      lines.push('', 'Undocumented endpoints (in _unmatched.json):');
      for (const [k, n] of this.undocumented) lines.push(`  ${k}  ×${n}`);
    }
    if (this.driftFindings.length > 0) {
      lines.push('', 'Responses that disagree with the spec:');
      for (const f of this.driftFindings.slice(0, 30)) lines.push(`  ${f.operationId} ${f.pointer || '/'}: ${f.message}`);
    }
    if (this.failures.length > 0) {
      lines.push('', 'Writes that failed (the client was answered, the interaction is NOT on disk):');
      for (const f of this.failures) lines.push(`  ${f}`);
    }
    return lines.join('\n');
  }
}
