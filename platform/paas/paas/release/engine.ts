import type { PaasConfig } from '../../common/config/config';
import { fetchJson } from '../../common/http/client';

type Env<T> = { result: boolean; message: string; data: T };
/** An app as appengine authenticates it. */
export interface EngineApp {
  code: string;
  token: string;
}
/** Outcome of a release call: the event to poll (even a refused deploy has one with its reason). */
export interface ReleaseStart {
  ok: boolean;
  eventId?: string;
  message: string;
}

const appHeaders = (a: EngineApp) => ({ 'x-app-code': a.code, 'x-app-token': a.token });

/** `POST|DELETE /v1/apps/<code>/<mode>/releases/` with the app headers. */
export async function release(
  cfg: PaasConfig,
  a: EngineApp,
  mode: 'test' | 'prod',
  body?: unknown,
): Promise<ReleaseStart> {
  try {
    const r = await fetchJson<Env<{ event_id?: string; error_code?: number } | null>>(
      `${cfg.urls.appengine}/v1/apps/${encodeURIComponent(a.code)}/${mode}/releases/`,
      {
        method: body === undefined ? 'DELETE' : 'POST',
        headers: appHeaders(a),
        json: body,
        timeoutMs: 15_000,
      },
    );
    return {
      ok: r.body.result === true,
      eventId: r.body.data?.event_id,
      message: r.body.message || `HTTP ${r.status}`,
    };
  } catch (e) {
    return { ok: false, message: `appengine did not answer: ${(e as Error).message}` };
  }
}

/** An event's status and joined log. */
export async function eventLog(
  cfg: PaasConfig,
  a: EngineApp,
  eventId: string,
): Promise<{ status: string; logs: string }> {
  const r = await fetchJson<Env<{ status: string; logs: string } | null>>(
    `${cfg.urls.appengine}/v1/apps/${encodeURIComponent(a.code)}/events/${encodeURIComponent(eventId)}/logs/`,
    { headers: appHeaders(a) },
  );
  if (!r.body.result || !r.body.data) throw new Error(`appengine: ${r.body.message || `HTTP ${r.status}`}`);
  return r.body.data;
}

/** An agent server as appengine lists it. */
export interface EngineServer {
  id: number;
  name: string;
  sid: string;
  token: string;
  ip: string;
  agent_port: number;
  web_port: number;
  category: string;
  mode: 'test' | 'prod';
  is_active: boolean;
  mac: string;
}

/** Calls to appengine's agent registry with the platform headers (administrators' pages). */
export async function agents<T>(
  cfg: PaasConfig,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  json?: unknown,
): Promise<Env<T>> {
  const r = await fetchJson<Env<T>>(`${cfg.urls.appengine}/v1/agents/${path}`, {
    method,
    json,
    headers: { 'x-app-code': 'bk_paas', 'x-app-token': cfg.secrets.ESB_TOKEN },
    timeoutMs: 10_000,
  });
  return r.body;
}

/** The environments that have an active server. */
export async function activeModes(cfg: PaasConfig): Promise<Set<string>> {
  const r = await agents<EngineServer[]>(cfg, 'GET', '');
  return new Set((r.data ?? []).filter((s) => s.is_active).map((s) => s.mode));
}
