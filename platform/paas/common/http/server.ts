import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { PaasConfig, ProgramName } from '../config/config';
import { errorPage } from '../html/layout';
import { STYLESHEET } from '../html/style';
import { t } from '../i18n/context';
import { registerI18n } from '../i18n/http';
import { redact } from '../security/redact';
import { type GuardTable, guardRoutes, PUBLIC } from './guard';
import { BODY_LIMITS } from './limits';

export interface AppOptions {
  program: ProgramName;
  config: PaasConfig;
  /** false silences logs (tests); default: `<logDir>/<program>.log` or stdout. */
  log?: boolean;
  /** Extra static assets served under `/static/` (name → [content type, body]). */
  assets?: Record<string, [string, string]>;
  /** Who may call which route (see guard.ts); a route without a guard fails to register. */
  guards: GuardTable;
}

/** True when the caller wants JSON (AJAX, API paths) rather than an HTML page. */
export function wantsJson(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return (
    req.headers['x-requested-with'] === 'XMLHttpRequest' ||
    (accept.includes('application/json') && !accept.includes('text/html')) ||
    /\/api\//.test(req.url)
  );
}

/** The request path without its query string (what we log; queries may hold tokens). */
export function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

function loggerOptions(o: AppOptions) {
  if (o.log === false) return false;
  if (!o.config.logDir) return { level: 'info', stream: redacting(process.stdout) };
  mkdirSync(o.config.logDir, { recursive: true, mode: 0o750 });
  // buffered appends: a synchronous write per request would sit on the hot path
  const file = createWriteStream(join(o.config.logDir, `${o.program}.log`), { flags: 'a', mode: 0o640 });
  return { level: 'info', stream: redacting(file) };
}

/** Every line passes through the shared redaction before it reaches the log (tokens in URLs, errors). */
const redacting = (out: { write(s: string): unknown }) => ({
  write: (line: string) => out.write(redact(line)),
});

/**
 * A Fastify app with the house defaults: form bodies parsed, `/static/bkcec.css` (+ assets),
 * one access-log line per request without query strings, security headers, and error and
 * not-found handlers that answer JSON or an HTML page as the caller prefers.
 */
export function createApp(o: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(o),
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: o.config.trustProxy,
    bodyLimit: BODY_LIMITS[o.program],
  });
  guardRoutes(app, o.guards);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  registerI18n(app, o.config, o.program === 'login' ? '/login' : ''); // login sits under /login/ behind nginx
  const assets: Record<string, [string, string]> = {
    'bkcec.css': ['text/css; charset=utf-8', STYLESHEET],
    ...o.assets,
  };
  const open = { config: { auth: PUBLIC } };
  app.get<{ Params: { name: string } }>('/static/:name', open, async (req, reply) => {
    const a = assets[req.params.name];
    if (!a) return reply.code(404).type('text/plain').send('no such asset');
    return reply.type(a[0]).header('cache-control', 'public, max-age=3600').send(a[1]);
  });
  app.get('/favicon.ico', open, async (_req, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=86400').send(),
  );
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html'))
      reply.header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
      );
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      { m: req.method, p: pathOf(req), s: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'req',
    );
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err, p: pathOf(req) }, 'request failed');
    const message = status === 500 ? t('common.internal_error') : (fastifyMessage(err) ?? err.message);
    return sendError(req, reply, status, message);
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(req, reply, 404, t('common.not_found', { path: pathOf(req) })),
  );
  return app;
}

/** Fastify's own request errors in the reader's language (our handlers' messages are already). */
function fastifyMessage(err: Error & { code?: string; statusCode?: number }): string | undefined {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return t('common.too_large');
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return t('common.unsupported_type');
  if (err.code?.startsWith('FST_ERR_CTP_') || err.code === 'FST_ERR_VALIDATION')
    return t('common.bad_request');
  return undefined;
}

/** Answer an error as `{result:false, message}` JSON or as an HTML error page. */
export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  if (wantsJson(req)) return reply.code(status).send({ result: false, message, data: null });
  return reply.code(status).type('text/html; charset=utf-8').send(errorPage(status, message).value);
}

/** Listen on the program's configured port and host. */
export async function listen(
  app: FastifyInstance,
  o: Pick<AppOptions, 'program' | 'config'>,
): Promise<string> {
  return app.listen({ host: o.config.listen.host, port: o.config.listen.ports[o.program] });
}
