import type { IncomingHttpHeaders } from 'node:http';
import type { AccessTokens } from './auth/access-token';
import type { AppAuth } from './auth/app';
import type { PermCheck } from './auth/perm';
import type { UserAuth } from './auth/user';
import { buffetKey, type Catalog } from './catalog/catalog';
import { CODE, EsbError } from './codes';
import type { CallContext, ComponentResult } from './components/types';
import { forwardBuffet } from './forward/buffet';
import { langOf, say } from './i18n/lang';
import { M } from './i18n/messages';
import { type EsbLogs, isoTime } from './log/log';
import { newRequestId } from './log/request-id';
import { headerCredentials } from './params/authorization';
import { credentialsOf, parseInput } from './params/params';
import type { RateLimiter } from './ratelimit/limiter';
import { rulesFor } from './ratelimit/rules';

/** An incoming call: `path` is the channel path (after `/c/compapi` or `/c/self-service-api`). */
export interface Incoming {
  method: string;
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** What to answer: HTTP status plus a JSON body, or raw bytes passed through. */
export type Outgoing =
  | { status: number; json: unknown }
  | { status: number; raw: { contentType: string; body: Buffer } };

/** The gateway's collaborators. */
export interface GatewayDeps {
  catalog: Catalog;
  appAuth: AppAuth;
  userAuth: UserAuth;
  perms: PermCheck;
  limiter: RateLimiter;
  logs: EsbLogs;
  tokens: AccessTokens;
  /** True when the request came through the front nginx (then its `X-Request-Uri` is trusted). */
  fromFrontDoor: (headers: IncomingHttpHeaders) => boolean;
}

/** What a call runs once it is authenticated. */
interface Target {
  userAuth: boolean;
  timeoutMs: number;
  system: string;
  component: string;
  check?: (app: string) => Promise<void>;
  pathVars: Record<string, string>;
  run: (ctx: CallContext) => Promise<ComponentResult>;
}

const NO_VARS: Record<string, string> = {};

/** A target that only fails (unknown path, wrong method): still an envelope, logged like any call. */
function failing(err: EsbError): () => Target {
  return () => {
    throw err;
  };
}

/** `url` without its query string. */
function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The ESB call pipeline: route, app auth, user auth, permission, rate limit, component, envelope, API log. */
export class Gateway {
  constructor(private readonly d: GatewayDeps) {}

  /** `/c/compapi/<path>`: DB, built-in and declarative components. */
  compapi(inc: Incoming): Promise<Outgoing> {
    if (inc.method !== 'GET' && inc.method !== 'POST')
      return this.call(inc, failing(new EsbError(CODE.COMMON, M.method(inc.method.slice(0, 16)))));
    const match = this.d.catalog.current.router.resolve(inc.method, inc.path);
    if (!match)
      return this.call(
        inc,
        failing(
          new EsbError(CODE.COMPONENT_NOT_FOUND, M.unknownPath(`/api/c/compapi${inc.path.slice(0, 200)}`)),
        ),
      );
    const { route, vars } = match;
    return this.call(inc, () => {
      if (route.state === 'inactive') throw new EsbError(CODE.INACTIVE_CHANNEL, M.inactive(route.template));
      if (route.state === 'missing' || !route.component)
        throw new EsbError(
          CODE.COMPONENT_NOT_FOUND,
          M.componentMissing(route.channel?.component_codename ?? route.template),
        );
      const component = route.component;
      const ch = route.channel;
      return {
        userAuth: route.userAuth,
        timeoutMs: route.timeoutMs,
        system: route.systemName,
        component: component.name,
        check:
          ch && (route.permRequired || route.rate)
            ? async (app) => {
                if (route.permRequired) await this.d.perms.require(app, ch.id, route.template);
                if (route.rate && !(await this.d.limiter.allow(app, ch.id, rulesFor(route.rate, app))))
                  throw new EsbError(CODE.RATE_LIMITED, M.rateLimited(app, route.template));
              }
            : undefined,
        pathVars: vars,
        run: (ctx) => component.handle(ctx),
      };
    });
  }

  /** `/c/self-service-api/<path>`: rows of `esb_buffet_component`. */
  selfService(inc: Incoming): Promise<Outgoing> {
    const row = this.d.catalog.current.buffet.get(buffetKey(inc.method, inc.path));
    if (!row)
      return this.call(
        inc,
        failing(
          new EsbError(
            CODE.COMPONENT_NOT_FOUND,
            M.unknownPath(`/api/c/self-service-api${inc.path.slice(0, 200)}`),
          ),
        ),
      );
    return this.call(inc, () => ({
      userAuth: true,
      timeoutMs: row.timeoutMs,
      system: String(row.system_id),
      component: row.name,
      pathVars: NO_VARS,
      run: (ctx) => forwardBuffet(row, ctx),
    }));
  }

  /** Authenticate, run the target, log, wrap the envelope; awaits only on cold caches, checks and the component. */
  private async call(inc: Incoming, target: () => Target): Promise<Outgoing> {
    const started = Date.now();
    const requestId = newRequestId();
    let app = '';
    let user = '';
    let bkToken = '';
    let system = '';
    let component = '';
    let out: ComponentResult;
    let error: string | undefined;
    try {
      const t = target();
      system = t.system;
      component = t.component;
      const input = parseInput(inc.method, inc.url, inc.rawBody);
      // The current SDK's header replaces parameter credentials when present.
      const creds = headerCredentials(inc.headers['x-bkapi-authorization']) ?? credentialsOf(input.params);
      app = creds.appCode.slice(0, 64);
      bkToken = creds.bkToken;
      const signed = input.query.bk_signature !== undefined || input.query.signature !== undefined;
      if (creds.accessToken && !creds.appSecret && !signed) {
        const owner = await this.d.tokens.verify(creds.accessToken, creds.appCode);
        app = owner.app;
        user = owner.user;
      } else {
        const uri = inc.headers['x-request-uri'];
        const trusted = typeof uri === 'string' && uri !== '' && this.d.fromFrontDoor(inc.headers);
        const signPath = pathOnly(trusted ? uri : inc.url);
        const a = this.d.appAuth.verify({ method: inc.method, signPath, input, creds });
        app = typeof a === 'string' ? a : await a;
        if (t.userAuth) {
          const u = this.d.userAuth.verify(app, creds);
          user = typeof u === 'string' ? u : await u;
        }
      }
      if (t.check) await t.check(app);
      out = await t.run({
        requestId,
        appCode: app,
        username: user,
        bkToken,
        method: inc.method,
        params: input.params,
        rawBody: inc.rawBody,
        headers: inc.headers,
        pathVars: t.pathVars,
        timeoutMs: t.timeoutMs,
      });
    } catch (e) {
      const known = e instanceof EsbError;
      error = (e as Error).message;
      const lang = langOf(inc.headers);
      out = {
        result: false,
        code: known ? e.code : CODE.COMMON,
        message: known ? e.text(lang) : say(M.component(error), lang),
        data: null,
      };
    }
    const code = 'passthrough' in out ? 0 : (out.code ?? (out.result ? CODE.OK : CODE.COMMON));
    this.d.logs.call({
      request_id: requestId,
      app_code: app,
      username: user,
      method: inc.method,
      path: inc.path,
      system,
      component,
      result: 'passthrough' in out ? true : out.result,
      code,
      status: 200,
      duration_ms: Date.now() - started,
      start: isoTime(started),
      error,
    });
    if ('passthrough' in out) return { status: out.passthrough.status, raw: out.passthrough };
    return {
      status: 200,
      json: {
        result: out.result,
        code,
        message: out.message ?? '',
        data: out.data ?? null,
        request_id: requestId,
      },
    };
  }
}
