import type { ServerResponse } from 'node:http';
import type { JournalEntry } from '../journal.js';
import { GUARDED_RESPONSES, json, ref, type AdminRoutes, type DeckMember } from './admin-routes.js';
import { JOURNAL_LINE_PROPERTIES } from './journal-routes.js';
import { invalidInput, problem, targetMember, visibleMembers } from './target-mock.js';

/** Entries sent on connect, newest last, so a page opened late still sees what just happened. */
export const BACKLOG_DEFAULT = 100;
export const BACKLOG_MAX = 500;
const HEARTBEAT_MS = 15_000;
/** A client that stops reading is dropped rather than buffered without bound; EventSource reconnects. */
const MAX_BUFFERED = 1024 * 1024;

/** What the stream carries per request: the journal line without headers and bodies. */
export type JournalSummary = Omit<JournalEntry, 'request' | 'response' | 'nearMisses'> & { nearMisses: number };

export function summarize(entry: JournalEntry): JournalSummary {
  const { request: _req, response: _res, nearMisses, ...line } = entry;
  return { ...line, nearMisses: nearMisses?.length ?? 0 };
}

/** One server-sent event; `data` is one line of JSON, so it needs no splitting. */
export const sseEvent = (event: string, data: unknown, id?: string): string => `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function streamsOf(members: readonly DeckMember[], backlog: number): JournalEntry[] {
  return members.flatMap((m) => m.runtime.journal.list(backlog)).sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)).slice(-backlog);
}

/**
 * `GET /__mockdeck/events` (the journal as server-sent events, for the
 * dashboard) and `GET /__mockdeck/requests/{id}` (one full entry, headers,
 * bodies and near misses included).
 */
export const eventsRoutes: AdminRoutes = {
  register(admin, ctx) {
    const open = new Set<ServerResponse>();
    // Open streams would hold `close()` forever: end them first; EventSource reconnects to whatever comes next.
    admin.addHook('preClose', (done) => {
      for (const res of open) res.end();
      open.clear();
      done();
    });
    admin.get<{ Querystring: { mock?: string; backlog?: string } }>('/events', async (request, reply) => {
      const members = request.query.mock ? [targetMember(ctx, request.query.mock, 'adminJournalEvents')] : visibleMembers(ctx);
      const backlog = Math.max(0, Math.min(BACKLOG_MAX, Math.trunc(Number(request.query.backlog ?? BACKLOG_DEFAULT)) || 0));
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', 'x-content-type-options': 'nosniff' });
      const send = (chunk: string) => {
        if (res.writableLength > MAX_BUFFERED) return res.end();
        res.write(chunk);
      };
      send('retry: 2000\n\n');
      for (const entry of streamsOf(members, backlog)) send(sseEvent('entry', summarize(entry), `${entry.mock}:${entry.id}`));
      send(sseEvent('ready', { mocks: members.map((m) => m.runtime.config.name) }));
      const listener = (entry: JournalEntry) => send(sseEvent('entry', summarize(entry), `${entry.mock}:${entry.id}`));
      for (const m of members) m.runtime.journal.on('entry', listener);
      const heartbeat = setInterval(() => send(': ping\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      open.add(res);
      res.once('close', () => {
        clearInterval(heartbeat);
        for (const m of members) m.runtime.journal.off('entry', listener);
        open.delete(res);
      });
    });
    admin.get<{ Params: { id: string }; Querystring: { mock?: string } }>('/requests/:id', async (request) => {
      const member = targetMember(ctx, request.query.mock, 'adminGetRequest');
      const id = Number(request.params.id);
      const entry = Number.isSafeInteger(id) ? member.runtime.journal.list(Number.MAX_SAFE_INTEGER).find((e) => e.id === id) : undefined;
      if (!entry) throw invalidInput('adminGetRequest', [{ pointer: '/path/id', message: `no request ${request.params.id} in the journal of mock "${member.runtime.config.name}"; it keeps the most recent requests only` }]);
      return entry;
    });
  },
  paths: {
    '/events': {
      get: {
        operationId: 'adminJournalEvents',
        summary: 'The journal as a live stream (server-sent events)',
        description:
          'On connect: up to `backlog` recent entries (oldest first), then a `ready` event, then one `entry` event per request as it is served. ' +
          'Entries are summaries (no headers or bodies; `nearMisses` is a count); fetch `/requests/{id}?mock=` for the whole entry. ' +
          'Event ids are `<mock>:<id>`. Without `mock`, every mock this caller may see (the deck with the admin key, else this mock).',
        tags: ['dashboard'],
        parameters: [
          { name: 'mock', in: 'query', required: false, description: 'Only this mock', schema: { type: 'string' } },
          { name: 'backlog', in: 'query', required: false, schema: { type: 'integer', minimum: 0, maximum: BACKLOG_MAX, default: BACKLOG_DEFAULT } },
        ],
        responses: {
          200: { description: '`event: entry` with a JournalSummary, `event: ready` with `{mocks: [...]}`, and `: ping` comments', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          422: problem('Unknown mock'),
          ...GUARDED_RESPONSES,
        },
      },
    },
    '/requests/{id}': {
      get: {
        operationId: 'adminGetRequest',
        summary: 'One journal entry, with headers, bodies and near misses',
        tags: ['dashboard'],
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          { name: 'mock', in: 'query', required: false, description: 'The mock whose journal holds it (default: this one)', schema: { type: 'string' } },
        ],
        responses: { 200: json(ref('JournalEntry'), 'The entry'), 422: problem('No such entry (any more), or unknown mock'), ...GUARDED_RESPONSES },
      },
    },
  },
  schemas: {
    JournalSummary: {
      type: 'object',
      required: ['id', 'time', 'mock', 'method', 'path', 'status', 'source', 'operation', 'ms', 'nearMisses'],
      properties: {
        ...JOURNAL_LINE_PROPERTIES,
        nearMisses: { type: 'integer', minimum: 0, description: 'How many near misses the full entry holds' },
      },
    },
  },
};
