/** Result of an internal HTTP call: status and parsed JSON body. */
export interface JsonReply<T> {
  status: number;
  body: T;
}

/**
 * Call another platform program and parse its JSON reply. Throws with the URL (without query)
 * and the reason on network errors, timeouts and non-JSON bodies; non-2xx statuses are returned.
 */
export async function fetchJson<T>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown; timeoutMs?: number } = {},
): Promise<JsonReply<T>> {
  const where = `${init.method ?? 'GET'} ${url.split('?')[0]}`;
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      signal: AbortSignal.timeout(init.timeoutMs ?? 5_000),
    });
  } catch (e) {
    throw new Error(`${where} failed: ${(e as Error).message}`);
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T };
  } catch {
    throw new Error(`${where} answered HTTP ${res.status} with non-JSON: ${text.slice(0, 120)}`);
  }
}
