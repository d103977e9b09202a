import type { ChannelRow, SystemRow } from '../catalog/types';
import type { ApiType, Component } from '../components/types';
import { parseRateConf, type RateConf } from '../ratelimit/rules';
import { compilePattern, hasVars, matchPattern, normalisePath, type PathPattern } from './path';

const DEFAULT_TIMEOUT_MS = 30_000;

/** A resolved channel with everything the hot path needs precomputed. */
export interface Route {
  template: string;
  /** ok, or why the call cannot go on (1306405 inactive, 1306404 component missing). */
  state: 'ok' | 'inactive' | 'missing';
  component?: Component;
  channel?: ChannelRow;
  systemName: string;
  userAuth: boolean;
  /** channel `timeout_time` → system execute/query timeout → 30 s. */
  timeoutMs: number;
  rate?: RateConf;
  permRequired: boolean;
}

/** A route plus the `{var}` values captured from the path. */
export interface Match {
  route: Route;
  vars: Record<string, string>;
}

/**
 * Channel resolution (reference §4.2), GET and POST only: DB channels by exact path, then built-in
 * components, then declarative ones, exact and then `{var}` patterns; all compiled up front.
 */
export class Router {
  private readonly db = new Map<string, Route>();
  private readonly exact = new Map<string, Route>();
  private readonly patterns: { p: PathPattern; route: Route }[] = [];
  /** Problems met while compiling (bad rate-limit JSON), for the log. */
  readonly warnings: string[] = [];

  constructor(
    channels: readonly ChannelRow[],
    systems: readonly SystemRow[],
    builtins: readonly Component[],
    confapis: readonly Component[],
  ) {
    const sysById = new Map(systems.map((s) => [s.id, s]));
    const sysByName = new Map(systems.map((s) => [s.name, s]));
    const byCodename = new Map(builtins.map((c) => [c.codename, c]));
    const confByPath = new Map(confapis.map((c) => [c.path, c]));
    const chByPath = new Map(channels.map((c) => [normalisePath(c.path), c]));
    const make = (template: string, component: Component | undefined, ch: ChannelRow | undefined): Route => {
      const sys = ch ? sysById.get(ch.component_system_id ?? -1) : sysByName.get(component?.system ?? '');
      const apiType: ApiType = ch ? (ch.type === 1 ? 'operate' : 'query') : (component?.apiType ?? 'query');
      const sysTimeout = apiType === 'operate' ? sys?.execute_timeout : sys?.query_timeout;
      return {
        template,
        state: ch && ch.is_active !== 1 ? 'inactive' : component ? 'ok' : 'missing',
        component,
        channel: ch,
        systemName: sys?.name ?? component?.system ?? '',
        userAuth: component?.userAuth ?? true,
        timeoutMs: (ch?.timeout_time || sysTimeout || 0) * 1000 || DEFAULT_TIMEOUT_MS,
        rate: ch?.rate_limit_required === 1 ? this.rateOf(ch) : undefined,
        permRequired: (ch?.perm_level ?? 0) > 0,
      };
    };
    for (const [path, ch] of chByPath) {
      if (hasVars(path)) continue;
      this.db.set(path, make(path, byCodename.get(ch.component_codename) ?? confByPath.get(path), ch));
    }
    for (const c of [...builtins, ...confapis]) {
      const route = make(c.path, c, chByPath.get(c.path));
      if (hasVars(c.path)) this.patterns.push({ p: compilePattern(c.path), route });
      else if (!this.exact.has(c.path)) this.exact.set(c.path, route);
    }
  }

  private rateOf(ch: ChannelRow): RateConf | undefined {
    try {
      return parseRateConf(ch.rate_limit_conf ?? '');
    } catch (e) {
      this.warnings.push(`channel ${ch.path}: rate_limit_conf ignored: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** The route for `method` + channel path, or undefined (404); channels serve GET and POST only. */
  resolve(method: string, rawPath: string): Match | undefined {
    const path = normalisePath(rawPath);
    const none: Record<string, string> = {};
    if (method !== 'GET' && method !== 'POST') return undefined;
    const hit = this.db.get(path) ?? this.exact.get(path);
    if (hit) return { route: hit, vars: none };
    for (const { p, route } of this.patterns) {
      const vars = matchPattern(p, path);
      if (vars) return { route, vars };
    }
    return undefined;
  }
}
