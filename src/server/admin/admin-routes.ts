import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MockRuntime } from '../mock-runtime.js';

/** A mock served beside this one (itself included), as deck-wide admin views list it. */
export interface DeckMember {
  readonly runtime: MockRuntime;
  /** Base URL once listening (including the base path), else null. */
  readonly url: () => string | null;
}

/** What every admin route module gets: its mock, the deck around it, and the admin API's description. */
export interface AdminContext {
  readonly runtime: MockRuntime;
  /** Every mock served by the same process, this one included. */
  readonly deck: () => readonly DeckMember[];
  /** The admin API's own OpenAPI document, assembled from every route module. */
  readonly document: () => Record<string, unknown>;
}

/** An OpenAPI path item (`{ get: {...}, delete: {...} }`), kept loose on purpose. */
export type PathItem = Record<string, Record<string, unknown>>;

/**
 * One module of the admin API: its routes and their OpenAPI description, so
 * `/__mockdeck/openapi.json` documents every route that exists. Add a module
 * to `ADMIN_ROUTES` in `index.ts` and it is mounted, guarded and described.
 *
 * @example
 * export const pingRoutes: AdminRoutes = {
 *   register: (admin) => admin.get('/ping', async () => ({ pong: true })),
 *   paths: { '/ping': { get: { operationId: 'adminPing', responses: { 200: { description: 'pong' } } } } },
 * };
 */
export interface AdminRoutes {
  /** Registers routes on the admin scope (prefix `/__mockdeck`, already behind the admin guard). */
  register(admin: FastifyInstance, ctx: AdminContext): void;
  /** OpenAPI path items, keyed by path below `/__mockdeck` (e.g. `/health`). */
  readonly paths: Readonly<Record<string, PathItem>>;
  /** Schemas the path items reference as `#/components/schemas/<name>`. */
  readonly schemas?: Readonly<Record<string, unknown>>;
  /** Accepts a request the admin key would not (e.g. a dashboard session); default none. */
  authorize?(request: FastifyRequest, ctx: AdminContext): boolean;
}

/** The usual 401/403 answers of a guarded admin route, for path items. */
export const GUARDED_RESPONSES = {
  401: { $ref: '#/components/responses/KeyMissing' },
  403: { $ref: '#/components/responses/KeyInvalid' },
} as const;

export const json = (schema: unknown, description: string): Record<string, unknown> => ({ description, content: { 'application/json': { schema } } });
export const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
