import type { MockRuntime } from '../mock-runtime.js';

export interface OperationCoverage {
  operationId: string;
  method: string;
  path: string;
  tags: string[];
  summary: string | null;
  /** Recorded interactions for this operation in every loaded layer (a recording a later layer shadows counts too). */
  recorded: number;
  status: 'recorded' | 'spec-only';
}

/** What a mock serves, for the admin API and the dashboard. Never includes a key. */
export function describeMock(runtime: MockRuntime) {
  const { config, state } = runtime;
  const counts = state.index.countsByOperation();
  const operations: OperationCoverage[] = state.spec.operations.map((op) => {
    const recorded = counts.get(op.id) ?? 0;
    return { operationId: op.id, method: op.method, path: op.path, tags: op.tags, summary: op.summary ?? null, recorded, status: recorded > 0 ? 'recorded' : 'spec-only' };
  });
  const undocumented = new Map<string, number>();
  for (const layer of state.layers) {
    for (const i of layer.interactions) {
      if (i.operationId !== null) continue;
      const key = `${i.request.method} ${i.request.path}`;
      undocumented.set(key, (undocumented.get(key) ?? 0) + 1);
    }
  }
  return {
    name: config.name,
    basePath: config.basePath,
    spec: { title: state.spec.info.title, version: state.spec.info.apiVersion, openapi: state.spec.info.version, file: config.spec },
    cassettes: state.layers.map((l) => ({ name: l.name, interactions: l.interactions.length })),
    activeCassettes: runtime.activeCassettes ?? state.layers.map((l) => l.name),
    onMiss: config.onMiss,
    recording: config.record ? { cassette: config.record.cassette, mode: config.record.mode } : null,
    access: config.access.kind === 'public' ? { kind: 'public' } : { kind: 'apiKey', in: config.access.in, name: config.access.name },
    latency: config.latency,
    validateRequests: config.validateRequests,
    counts: { operations: operations.length, recorded: operations.filter((o) => o.status === 'recorded').length, specOnly: operations.filter((o) => o.status === 'spec-only').length, interactions: state.index.size, undocumented: undocumented.size },
    operations,
    undocumented: [...undocumented].map(([key, count]) => ({ method: key.split(' ')[0], path: key.slice(key.indexOf(' ') + 1), count })),
  };
}
