import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MockConfig } from '../../config.js';
import { ADMIN_PREFIX } from '../mount-mock.js';
import { adminDigests, checkAdmin } from './admin-guard.js';
import type { AdminRoutes } from './admin-routes.js';
import { uiAsset, uiAssets } from './ui-assets.js';
import { dashboardSessions, digestAccepted, digestOfKey, expiredSessionCookie, parseCookies, sessionCookie, sessionCookieName, sessionOpens } from './ui-session.js';

/**
 * Everything the page needs comes from this origin: no inline script, no
 * CDN, images only from answers shown (data: URLs). The key never reaches
 * another site through a Referer.
 */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
} as const;

const MAX_KEY_LENGTH = 4096;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const uiPath = (config: MockConfig): string => `${config.basePath}${ADMIN_PREFIX}/ui`;

/** The key form: no mock name, no spec, no count. Only why it is shown. */
function sendLogin(config: MockConfig, reply: FastifyReply, status: 401 | 403, message: string): FastifyReply {
  const html = uiAsset('login.html').bytes.toString('utf8').replaceAll('{{admin}}', escapeHtml(`${config.basePath}${ADMIN_PREFIX}`)).replace('{{message}}', escapeHtml(message));
  return reply.code(status).headers(PAGE_HEADERS).header('www-authenticate', 'ApiKey realm="mockdeck-admin"').type('text/html; charset=utf-8').send(html);
}

/**
 * Trades a key for a session: checks it against the digests that open this
 * mock's admin API, stores only its digest under a random token, sets the
 * token as an HttpOnly cookie scoped to the admin path, and redirects to the
 * bare page so the key leaves the address bar and history.
 */
function login(config: MockConfig, reply: FastifyReply, key: string): FastifyReply {
  const digests = adminDigests(config);
  if (digests === null) return reply.code(303).headers(PAGE_HEADERS).header('location', uiPath(config)).send();
  const digest = digestOfKey(key);
  if (key === '' || key.length > MAX_KEY_LENGTH || !digestAccepted(digest, digests)) return sendLogin(config, reply, 403, 'That key is not accepted here. Use the admin key, or on a mock without one, one of its API keys.');
  const token = dashboardSessions.open(digest);
  return reply.code(303).headers(PAGE_HEADERS).header('set-cookie', sessionCookie(config.name, config.basePath, token)).header('location', uiPath(config)).send();
}

/**
 * The page may be opened by a link from a sibling mock on another port
 * (same-site); its shell holds no data and every call it makes is
 * same-origin, so the page itself ignores `Sec-Fetch-Site`. The data routes
 * do not.
 */
function pageAllowed(config: MockConfig, request: FastifyRequest): boolean {
  const { 'sec-fetch-site': _site, ...headers } = request.headers;
  return checkAdmin(config, { url: request.url, headers }) === null;
}

const formKey = (body: unknown): string | undefined => {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  return new URLSearchParams(text).get('key') ?? undefined;
};

/**
 * `GET /__mockdeck/ui` (the QA dashboard), its key form, and its static
 * files. These routes do their own access check: without a key the page
 * answers 401 with a key form instead of problem+json.
 */
export const uiRoutes: AdminRoutes = {
  authorize: () => true,
  register(admin, { runtime }) {
    const { config } = runtime;
    admin.get<{ Querystring: { key?: string } }>('/ui', async (request, reply) => {
      if (typeof request.query.key === 'string') return login(config, reply, request.query.key);
      if (!pageAllowed(config, request)) {
        const tried = parseCookies(request.headers.cookie).some(([name]) => name === sessionCookieName(config.name));
        return sendLogin(config, reply, 401, tried ? 'Your dashboard session has ended. Enter the key again.' : 'This dashboard needs a key.');
      }
      // Tells the page whether a "Log out" button means anything (the session cookie is HttpOnly).
      const digests = adminDigests(config);
      const session = digests !== null && sessionOpens(digests, { cookie: request.headers.cookie });
      const html = uiAsset('index.html').bytes.toString('utf8').replace('{{session}}', session ? 'yes' : 'no');
      return reply.code(200).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
    });
    admin.post('/ui/login', async (request, reply) => login(config, reply, formKey(request.body) ?? ''));
    admin.post('/ui/logout', async (request, reply) => {
      for (const [name, token] of parseCookies(request.headers.cookie)) if (name === sessionCookieName(config.name)) dashboardSessions.close(token);
      return reply.code(303).headers(PAGE_HEADERS).header('set-cookie', expiredSessionCookie(config.name, config.basePath)).header('location', uiPath(config)).send();
    });
    admin.get<{ Params: { file: string } }>('/ui/assets/:file', async (request, reply) => {
      const asset = uiAssets().get(request.params.file);
      if (!asset || request.params.file.endsWith('.html')) return reply.code(404).type('text/plain; charset=utf-8').send('no such dashboard file');
      // Static code shared by every mock, holding no data: served without a key so the key form has its styles.
      return reply.code(200).headers({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' }).type(asset.type).send(asset.bytes);
    });
  },
  paths: {
    '/ui': {
      get: {
        operationId: 'adminDashboard',
        summary: 'The QA dashboard (HTML)',
        description: 'Without a key: 401 and a key form, no data. With `?key=` (or the form): checks the key, sets an HttpOnly, SameSite=Strict session cookie scoped to the admin path (a random token, never the key) and redirects to strip the key from the URL. The session then opens the admin API for the page.',
        tags: ['dashboard'],
        parameters: [{ name: 'key', in: 'query', required: false, description: 'The admin key (or, on a keyed mock without one, one of its API keys), traded once for a session', schema: { type: 'string' } }],
        security: [{}, { adminKey: [] }, { bearer: [] }],
        responses: {
          200: { description: 'The dashboard', content: { 'text/html': { schema: { type: 'string' } } } },
          303: { description: 'Key accepted (session cookie set) or not needed; go to the bare page', headers: { 'Set-Cookie': { schema: { type: 'string' } }, Location: { schema: { type: 'string' } } } },
          401: { description: 'No key: a key form', content: { 'text/html': { schema: { type: 'string' } } } },
          403: { description: 'Key not accepted: the key form again', content: { 'text/html': { schema: { type: 'string' } } } },
        },
      },
    },
    '/ui/login': {
      post: {
        operationId: 'adminDashboardLogin',
        summary: 'Trade a key for a dashboard session (the key form posts here)',
        tags: ['dashboard'],
        security: [{}],
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } } } } },
        responses: {
          303: { description: 'Accepted: session cookie set, redirect to the page', headers: { 'Set-Cookie': { schema: { type: 'string' } }, Location: { schema: { type: 'string' } } } },
          403: { description: 'Not accepted: the key form again', content: { 'text/html': { schema: { type: 'string' } } } },
        },
      },
    },
    '/ui/logout': {
      post: { operationId: 'adminDashboardLogout', summary: 'End the dashboard session', tags: ['dashboard'], security: [{}], responses: { 303: { description: 'Session ended, cookie removed' } } },
    },
    '/ui/assets/{file}': {
      get: {
        operationId: 'adminDashboardAsset',
        summary: 'A static file of the dashboard (CSS, JavaScript, icon)',
        description: 'Code shipped in the package, the same for every mock, holding no data; served without a key.',
        tags: ['dashboard'],
        security: [{}],
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9.-]+$' } }],
        responses: { 200: { description: 'The file' }, 404: { description: 'No such file' } },
      },
    },
  },
};
