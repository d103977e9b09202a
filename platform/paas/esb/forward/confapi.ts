import { CODE, EsbError } from '../codes';
import type { CallContext, Component, ComponentResult } from '../components/types';
import type { ConfapiDef } from '../confapis/schema';
import { IDENTITY, SENSITIVE, without } from '../params/params';
import { compileTemplate } from '../routing/path';
import type { EsbSettings } from '../settings';
import { identityHeaders, toQuery } from './headers';
import { interpret, send } from './reply';

const REMOVED = new Set([...SENSITIVE, ...IDENTITY]);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** `X-Use-Test-Env: 1` (legacy SDK) or `true` (current SDK) asks for the system's test stage. */
export function wantsTestEnv(headers: CallContext['headers']): boolean {
  const v = headers['x-use-test-env'];
  return v === '1' || (typeof v === 'string' && v.toLowerCase() === 'true');
}

/** The back-end base URL of `system`: its test host when the caller asks for it and one is set. */
function hostOf(systems: EsbSettings['systems'], system: string, ctx: CallContext): string {
  const s = systems[system];
  if (!s)
    throw new EsbError(
      CODE.BACKEND,
      `No back end is configured for system ${system}: expected esb.systems.${system}.host in the config file`,
    );
  return wantsTestEnv(ctx.headers) && s.testHost ? s.testHost : s.host;
}

async function forward(
  def: ConfapiDef,
  destPath: ReturnType<typeof compileTemplate>,
  systems: EsbSettings['systems'],
  ctx: CallContext,
): Promise<ComponentResult> {
  const params = without(ctx.params, REMOVED);
  let path: string;
  try {
    path = destPath(ctx.pathVars, params);
  } catch (e) {
    throw new EsbError(CODE.ARGUMENT, (e as Error).message);
  }
  const hasBody = BODY_METHODS.has(def.dest_http_method);
  const origin = hostOf(systems, def.system, ctx);
  const headers = identityHeaders(ctx);
  if (hasBody) headers['content-type'] = 'application/json';
  const reply = await send({
    origin,
    path: hasBody ? path : path + toQuery(params),
    method: def.dest_http_method,
    headers,
    body: hasBody ? JSON.stringify(params) : undefined,
    timeoutMs: ctx.timeoutMs,
  });
  return interpret(reply, `${def.system} ${def.dest_http_method} ${path}`);
}

/** A declarative component: forwards to its system's host at `dest_path` with `{var}`s filled. */
export function confapiComponent(def: ConfapiDef, systems: EsbSettings['systems']): Component {
  const destPath = compileTemplate(def.dest_path);
  return {
    codename: `generic.v2.${def.system.toLowerCase()}.${def.system.toLowerCase()}_component`,
    system: def.system,
    name: def.name,
    label: def.label,
    labelEn: def.label_en,
    apiType: def.api_type,
    method: def.suggest_method,
    path: def.path,
    userAuth: true,
    isHidden: def.is_hidden,
    confapi: true,
    doc: def.doc,
    handle: (ctx) => forward(def, destPath, systems, ctx),
  };
}
