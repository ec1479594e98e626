import { MockdeckError, type PointerFinding } from '../../errors.js';
import { PROBLEM_TYPE } from '../problem.js';
import { ref, type AdminContext, type DeckMember } from './admin-routes.js';

/**
 * The deck members an admin caller may act on, by the same rule as
 * `GET /__mockdeck/mocks`: the admin key is the deck's key and reaches every
 * mock of the process; a mock's own API key, or an open admin API, reaches
 * only that mock, so a public mock never steers a keyed neighbour.
 */
export function visibleMembers(ctx: AdminContext): readonly DeckMember[] {
  const deck = ctx.deck();
  if (ctx.runtime.config.adminDigests) return deck;
  const self = deck.find((m) => m.runtime === ctx.runtime);
  return self ? [self] : [{ runtime: ctx.runtime, url: () => null }];
}

/**
 * The mock a dashboard call is about: `?mock=<name>` among the visible
 * members, or this mock when absent. Unknown names are a 422 naming the
 * visible ones, so the caller can fix the parameter.
 *
 * @example
 * targetMember(ctx, 'checkout-happy-path').runtime.config.name // 'checkout-happy-path'
 */
export function targetMember(ctx: AdminContext, name: string | undefined, operationId: string): DeckMember {
  const members = visibleMembers(ctx);
  if (name === undefined || name === '') return members.find((m) => m.runtime === ctx.runtime) ?? { runtime: ctx.runtime, url: () => null };
  const found = members.find((m) => m.runtime.config.name === name);
  if (found) return found;
  const known = members.map((m) => m.runtime.config.name).join(', ');
  throw invalidInput(operationId, [{ pointer: '/query/mock', message: `no mock named "${name}" is visible here; visible: ${known}` }]);
}

/** A 422 problem for admin input that breaks the admin API's description, one finding per pointer. */
export function invalidInput(operationId: string, errors: PointerFinding[]): MockdeckError {
  return new MockdeckError('MOCKDECK_ERR_REQ_INVALID', { count: errors.length, operationId }, { extra: { errors } });
}

/** Parses a JSON request body the admin scope received as raw bytes (the app parses nothing itself). */
export function jsonBody(raw: unknown, contentType: string | undefined): unknown {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MockdeckError('MOCKDECK_ERR_REQ_MALFORMED_BODY', { contentType: contentType ?? 'application/json', reason: (err as Error).message }, { cause: err });
  }
}

/** A problem+json answer, for path items. */
export const problem = (description: string): Record<string, unknown> => ({ description, content: { [PROBLEM_TYPE]: { schema: ref('Problem') } } });
