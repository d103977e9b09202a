// Test helpers for talking to appengine as paas and as an operator would.
import { expect } from 'vitest';

/** Headers paas sends for an app. */
export const appHeaders = (code: string, token: string) => ({ 'x-app-code': code, 'x-app-token': token });

/** JSON call helper against a base URL. */
export async function call(
  base: string,
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(base + path, {
    method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    redirect: 'manual',
  });
  const text = await r.text();
  // biome-ignore lint/suspicious/noExplicitAny: test helper; each test asserts the shape it expects
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: r.status, body, headers: r.headers };
}

/** Poll an event's log until it is SUCCESS or FAILURE; returns `{status, logs, event_type}`. */
export async function finalEvent(base: string, code: string, token: string, eventId: string, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const r = await call(base, `/v1/apps/${code}/events/${eventId}/logs/`, {
      headers: appHeaders(code, token),
    });
    expect(r.status).toBe(200);
    if (r.body.data.status === 'SUCCESS' || r.body.data.status === 'FAILURE') return r.body.data;
    if (Date.now() > end)
      throw new Error(`event ${eventId} still ${r.body.data.status} after ${ms} ms:\n${r.body.data.logs}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}
