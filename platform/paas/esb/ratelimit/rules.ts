/** One token bucket: `tokens` calls per `periodSec`. */
export interface Rule {
  tokens: number;
  periodSec: number;
}

/** Rules per app code; `__default` applies to apps without their own entry. */
export type RateConf = ReadonlyMap<string, readonly Rule[]>;

const UNITS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

function rule(v: unknown, where: string): Rule {
  const o = (v ?? {}) as Record<string, unknown>;
  const tokens = o.tokens;
  if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 1)
    throw new Error(`${where}.tokens: expected a positive integer, found ${JSON.stringify(tokens)}`);
  const units = Object.keys(UNITS).filter((u) => u in o);
  if (units.length !== 1)
    throw new Error(`${where}: expected exactly one of second/minute/hour/day, found ${units.length}`);
  const n = o[units[0]!];
  if (typeof n !== 'number' || n <= 0) throw new Error(`${where}.${units[0]}: expected a positive number`);
  return { tokens, periodSec: n * UNITS[units[0]!]! };
}

/** Parse `rate_limit_conf`: `{"app_ratelimit": {"__default": [{"tokens": 1000, "minute": 1}], "<app>": [...]}}`. */
export function parseRateConf(text: string): RateConf {
  const raw = JSON.parse(text) as { app_ratelimit?: Record<string, unknown> };
  const apps = raw?.app_ratelimit;
  if (!apps || typeof apps !== 'object') throw new Error('expected an object with key app_ratelimit');
  const out = new Map<string, Rule[]>();
  for (const [app, list] of Object.entries(apps)) {
    if (!Array.isArray(list)) throw new Error(`app_ratelimit.${app}: expected a list of rules`);
    out.set(
      app,
      list.map((r, i) => rule(r, `app_ratelimit.${app}[${i}]`)),
    );
  }
  return out;
}

/** The rules that apply to `app` (its own, else `__default`, else none). */
export function rulesFor(conf: RateConf, app: string): readonly Rule[] {
  return conf.get(app) ?? conf.get('__default') ?? [];
}
