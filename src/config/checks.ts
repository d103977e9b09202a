// Validates globals.env and ports.env values per reference installer-spec §3, with positions.
import type { Inventory } from '../inventory/inventory';
import { MODULE_PORTS, PORT_DEFAULTS } from './defaults';
import type { ParsedEnv } from './envfile';
import type { Issue } from './issues';
import {
  consulKeyProblem,
  domainProblem,
  installPathProblem,
  loginPasswordProblem,
  loginUserProblem,
  mysqlUserProblem,
  portProblem,
  secretProblem,
} from './rules';
import { generatedNameProblem } from './vars';

type Rule = (v: string) => string | undefined;

/** Required globals and their rules; secrets are never echoed in messages. */
const GLOBAL_RULES: Record<string, Rule> = {
  BK_DOMAIN: domainProblem,
  PAAS_FQDN: domainProblem,
  HTTP_SCHEMA: (v) => (v === 'http' || v === 'https' ? undefined : `expected http or https, found '${v}'`),
  INSTALL_PATH: installPathProblem,
  MYSQL_USER: mysqlUserProblem,
  MYSQL_PASS: secretProblem,
  // redis.conf takes the password as one bare word: quotes and backslashes would change it there.
  REDIS_PASS: (v) =>
    secretProblem(v) ??
    (/["'\\]/.test(v)
      ? 'expected a secret without quotes or backslashes (redis.conf reads it as one bare word), found one with them'
      : undefined),
  PAAS_ADMIN_USER: loginUserProblem,
  PAAS_ADMIN_PASS: loginPasswordProblem,
  ESB_TOKEN: secretProblem,
  ESB_SECRET_KEY: secretProblem,
  CONSUL_ENCRYPT: consulKeyProblem,
};

/** Optional globals checked when present. */
const OPTIONAL_RULES: Record<string, Rule> = {
  HAS_DNS_SERVER: (v) =>
    /^[0-9]+$/.test(v) ? undefined : `expected 0 (write /etc/hosts) or 1 (own DNS), found '${v}'`,
  BK_LANGUAGE: (v) => (v === 'zh-cn' || v === 'en' ? undefined : `expected zh-cn or en, found '${v}'`),
};

/** Issues of one env file's values: required names, scalar-ness, per-name rules, reserved names. */
function checkFile(
  env: ParsedEnv,
  file: string,
  required: Record<string, Rule>,
  optional: Record<string, Rule>,
) {
  const issues: Issue[] = [];
  const at = (name: string, message: string, onValue = true) => {
    const w = env.where.get(name);
    issues.push({ file, line: w?.line ?? 1, col: (onValue ? w?.valueCol : w?.col) ?? 1, message });
  };
  for (const [name, rule] of Object.entries(required)) {
    const v = env.vars.get(name);
    if (v === undefined) at(name, `expected ${name} to be set, found no definition`);
    else if (Array.isArray(v)) at(name, `expected ${name} to be a single value, found an array`);
    else if (v === '') at(name, `expected a value for ${name}, found an empty one`);
    else {
      const problem = rule(v);
      if (problem) at(name, `${name}: ${problem}`);
    }
  }
  for (const [name, v] of env.vars) {
    const reserved = generatedNameProblem(name);
    if (reserved) at(name, reserved, false);
    const rule = optional[name] ?? (name.endsWith('_PORT') && !required[name] ? portProblem : undefined);
    if (!rule || required[name]) continue;
    const problem = Array.isArray(v) ? `expected a single value, found an array` : rule(v);
    if (problem) at(name, `${name}: ${problem}`);
  }
  return issues;
}

/** globals.env: required settings and secrets, domain rules, FQDNs under BK_DOMAIN. */
export function checkGlobals(env: ParsedEnv, file: string): Issue[] {
  const issues = checkFile(env, file, GLOBAL_RULES, OPTIONAL_RULES);
  const domain = env.vars.get('BK_DOMAIN');
  for (const [name, v] of env.vars) {
    if (!name.endsWith('_FQDN') || typeof v !== 'string') continue;
    const w = env.where.get(name)!;
    const problem = domainProblem(v);
    const outside = typeof domain === 'string' && !domainProblem(domain) && !v.endsWith(`.${domain}`);
    const message =
      problem && name !== 'PAAS_FQDN'
        ? `${name}: ${problem}`
        : !problem && outside
          ? `${name}: expected a name ending with .${domain} (BK_DOMAIN, for the login cookie), found '${v}'`
          : undefined;
    if (message) issues.push({ file, line: w.line, col: w.valueCol, message });
  }
  return issues;
}

const PORT_RULES: Record<string, Rule> = Object.fromEntries(
  PORT_DEFAULTS.map(([name]) => [name, portProblem]),
);

/** ports.env: every default port present and valid, and no two modules of one host on the same port. */
export function checkPorts(env: ParsedEnv, file: string, inv: Inventory): Issue[] {
  const issues = checkFile(env, file, PORT_RULES, {});
  if (issues.length) return issues;
  const reported = new Set<string>();
  for (const host of inv.hosts) {
    const seen = new Map<string, string>();
    const modules = new Set([...host.modules.map((p) => p.module), 'consul' as const]);
    for (const m of modules) {
      for (const name of MODULE_PORTS[m] ?? []) {
        const port = env.vars.get(name) as string;
        const other = seen.get(port);
        if (other && !MODULE_PORTS[m]?.includes(other) && !reported.has(`${other} ${name}`)) {
          reported.add(`${other} ${name}`);
          const w = env.where.get(name)!;
          const message = `expected distinct ports on ${host.ip}, found ${other} and ${name} both ${port}`;
          issues.push({ file, line: w.line, col: w.valueCol, message });
        }
        seen.set(port, name);
      }
    }
  }
  return issues;
}
