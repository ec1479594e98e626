import type { RecordedResponse } from '../types.js';
import type { Reply } from './spec-reply.js';

/** Hop-by-hop and framing headers are the transport's business, not the recording's. */
const DROP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'proxy-connection', 'upgrade', 'trailer', 'te', 'date']);

/**
 * Rebuilds a recorded response: same status, headers minus hop-by-hop ones
 * (content-length is recomputed by the server, bodies are stored decoded),
 * and the body bytes as recorded.
 */
export function replyFromInteraction(response: RecordedResponse, body: Buffer, method: string): Reply {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (!DROP.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  return { status: response.status, headers, body: method === 'HEAD' ? '' : body };
}
