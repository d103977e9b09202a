// Authentication decided on the route the router matched, never on the raw URL: every route of a
// program names a guard (its `config.auth`, else the route table), the guard runs as the route's
// first preHandler, and a route that names none makes registration throw (fail closed).
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Name of the guard protecting this route (`public` for none); overrides the route table. */
    auth?: string;
    /** Other programs (the agent) keep their own route options. */
    [option: string]: unknown;
  }
}

/** Checks one request: true lets it through; false only after the guard has answered (sent a reply). */
export type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

/** A program's guards and which route patterns they protect. */
export interface GuardTable {
  /** Guard name → guard. `public` is built in and lets everything through. */
  guards: Record<string, Guard>;
  /**
   * Route pattern → guard name, matched against the registered path without its mount prefix
   * (`/app/:code/`, not a request URL). `/x/*` covers every route under `/x/`; otherwise exact.
   * The longest match wins.
   */
  routes: Record<string, string>;
}

export const PUBLIC = 'public';

const principals = new WeakMap<FastifyRequest, unknown>();

/** Record who the guard let in (a user, an app, a server) for the handler. */
export function setPrincipal(req: FastifyRequest, who: unknown): void {
  principals.set(req, who);
}

/** Who the route's guard let in, if it recorded anyone. */
export function principal<T>(req: FastifyRequest): T | undefined {
  return principals.get(req) as T | undefined;
}

/** The guard name for a route pattern from the table, or undefined. */
export function guardFor(routes: Record<string, string>, pattern: string): string | undefined {
  let best: string | undefined;
  let bestLen = -1;
  for (const [key, name] of Object.entries(routes)) {
    const star = key.endsWith('*');
    const hit = star ? pattern.startsWith(key.slice(0, -1)) : pattern === key;
    const len = star ? key.length - 1 : key.length + 1; // an exact entry beats a prefix of the same length
    if (hit && len > bestLen) {
      best = name;
      bestLen = len;
    }
  }
  return best;
}

/** One registered route and the guard that protects it. */
export interface GuardedRoute {
  method: string;
  url: string;
  guard: string;
}
const registry = new WeakMap<FastifyInstance, GuardedRoute[]>();

/** Every route added to `app` so far with its guard (tests walk this to attack each one). */
export function guardedRoutes(app: FastifyInstance): readonly GuardedRoute[] {
  return registry.get(app) ?? [];
}

/** Install the table on `app`: call before any route is added (createApp does). */
export function guardRoutes(app: FastifyInstance, t: GuardTable): void {
  const list: GuardedRoute[] = [];
  registry.set(app, list);
  app.addHook('onRoute', (route: RouteOptions & { routePath?: string }) => {
    const pattern = route.routePath === '' ? '/' : (route.routePath ?? route.url);
    const name = route.config?.auth ?? guardFor(t.routes, pattern);
    const where = `${String(route.method)} ${route.url}`;
    if (!name)
      throw new Error(`${where}: no guard declared (give config.auth or list the route in the table)`);
    list.push({ method: String(route.method), url: route.url, guard: name });
    if (name === PUBLIC) return;
    const guard = t.guards[name];
    if (!guard) throw new Error(`${where}: unknown guard ${JSON.stringify(name)}`);
    // Returning the reply is what stops Fastify from running the handler after an answer.
    const check = async (req: FastifyRequest, reply: FastifyReply) =>
      (await guard(req, reply)) ? undefined : reply;
    const rest = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [check, ...rest] as RouteOptions['preHandler'];
  });
}
