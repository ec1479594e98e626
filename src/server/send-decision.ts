import type { FastifyReply } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { toProblem } from '../errors.js';
import type { MockConfig } from '../config.js';
import type { Decision } from './decide.js';
import { PROBLEM_TYPE } from './problem.js';

export interface Sent {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | string;
}

/**
 * Provenance headers every answer that passed the gate carries, set on `h`
 * (a new object by default). Setting them on the headers being built, rather
 * than spreading a second object into them, keeps the hot path cheap.
 */
export function provenance(decision: Exclude<Decision, { kind: 'forward' }>, h: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  h['x-mockdeck-source'] = decision.source;
  if (decision.operationId) h['x-mockdeck-operation'] = decision.operationId;
  if (decision.kind === 'reply' && decision.cassette && decision.interaction) {
    h['x-mockdeck-cassette'] = decision.cassette;
    h['x-mockdeck-interaction'] = decision.interaction.id;
  }
  return h;
}

/** Renders a reply or error decision, applying the latency policy first. */
export async function sendDecision(reply: FastifyReply, decision: Exclude<Decision, { kind: 'forward' }>, config: MockConfig): Promise<Sent> {
  const delay = config.latency.kind === 'fixed' ? config.latency.ms : config.latency.kind === 'recorded' && decision.kind === 'reply' && decision.interaction ? decision.interaction.durationMs : 0;
  if (delay > 0) await sleep(delay);
  let sent: Sent;
  if (decision.kind === 'error') {
    const body = JSON.stringify(toProblem(decision.error));
    sent = { status: decision.error.status, headers: provenance(decision, { ...decision.headers, 'content-type': PROBLEM_TYPE }), body };
  } else {
    sent = { status: decision.reply.status, headers: provenance(decision, { ...decision.reply.headers }), body: decision.reply.body };
  }
  reply.code(sent.status).headers(sent.headers);
  // Fastify must not re-encode: the bytes are exactly what was recorded or generated.
  if (!('content-type' in sent.headers)) reply.removeHeader('content-type');
  // Awaiting the reply waits for the response to finish; a Buffer or string body has
  // already been handed to the socket here, so skip the await (and its tick) then.
  const sending = reply.send(sent.body);
  if (!sending.sent) await sending;
  return sent;
}
