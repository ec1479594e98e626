import type { FastifyReply } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { toProblem } from '../errors.js';
import type { MockConfig } from '../config.js';
import type { Reply } from '../responder/index.js';
import type { Decision } from './decide.js';
import { PROBLEM_TYPE } from './problem.js';

export interface Sent {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | string;
}

type Answer = Exclude<Decision, { kind: 'forward' }>;
type ReplyDecision = Extract<Decision, { kind: 'reply' }>;

/**
 * Provenance headers every answer that passed the gate carries, set on `h`
 * (a new object by default). Setting them on the headers being built, rather
 * than spreading a second object into them, keeps the hot path cheap.
 */
export function provenance(decision: Answer, h: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  h['x-mockdeck-source'] = decision.source;
  if (decision.operationId) h['x-mockdeck-operation'] = decision.operationId;
  if (decision.kind === 'reply' && decision.cassette && decision.interaction) {
    h['x-mockdeck-cassette'] = decision.cassette;
    h['x-mockdeck-interaction'] = decision.interaction.id;
  }
  return h;
}

/** The answer headers of a shared reply, with its provenance, as last built (see {@link replyHeaders}). */
interface Prepared {
  source: string;
  operationId: string | null;
  cassette: string | undefined;
  interaction: string | undefined;
  headers: Readonly<Record<string, string | string[]>>;
}

const prepared = new WeakMap<Reply, Prepared>();

/**
 * A reply's headers plus provenance. A frozen reply is one the responder or
 * the decision shares between requests (a recorded response, a cached spec
 * answer): its full header set is built once and reused while the provenance
 * stays the same, so a hit copies no headers. The result is never mutated.
 */
function replyHeaders(decision: ReplyDecision): Record<string, string | string[]> {
  const { reply } = decision;
  if (!Object.isFrozen(reply)) return provenance(decision, { ...reply.headers });
  const cassette = decision.cassette;
  const interaction = decision.interaction?.id;
  const p = prepared.get(reply);
  if (p && p.source === decision.source && p.operationId === decision.operationId && p.cassette === cassette && p.interaction === interaction) return p.headers;
  const headers = Object.freeze(provenance(decision, { ...reply.headers }));
  prepared.set(reply, { source: decision.source, operationId: decision.operationId, cassette, interaction, headers });
  return headers;
}

/**
 * Renders a reply or error decision, applying the latency policy first.
 * Without latency the answer is written at once and returned as it is (no
 * promise, no tick); a promise only when something is still to wait for.
 */
export function sendDecision(reply: FastifyReply, decision: Answer, config: MockConfig): Sent | Promise<Sent> {
  const delay = config.latency.kind === 'fixed' ? config.latency.ms : config.latency.kind === 'recorded' && decision.kind === 'reply' && decision.interaction ? decision.interaction.durationMs : 0;
  if (delay > 0) return sleep(delay).then(() => write(reply, decision));
  return write(reply, decision);
}

function write(reply: FastifyReply, decision: Answer): Sent | Promise<Sent> {
  let sent: Sent;
  if (decision.kind === 'error') {
    const body = JSON.stringify(toProblem(decision.error));
    sent = { status: decision.error.status, headers: provenance(decision, { ...decision.headers, 'content-type': PROBLEM_TYPE }), body };
  } else {
    sent = { status: decision.reply.status, headers: replyHeaders(decision), body: decision.reply.body };
  }
  reply.code(sent.status).headers(sent.headers);
  // Fastify must not re-encode: the bytes are exactly what was recorded or generated.
  if (!('content-type' in sent.headers)) reply.removeHeader('content-type');
  // Awaiting the reply waits for the response to finish; a Buffer or string body has
  // already been handed to the socket here, so skip the wait (and its tick) then.
  const sending = reply.send(sent.body);
  return sending.sent ? sent : Promise.resolve(sending).then(() => sent);
}
