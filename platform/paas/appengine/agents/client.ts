import { fetchJson } from '../../common/http/client';
import type { ServerRow } from '../auth';

/** What an agent answers: `error` 0 is success; `msg` explains anything else. */
export interface AgentReply {
  error: number;
  msg?: string;
  mac?: string;
  /** test or prod (our agent reports the environment it serves). */
  mode?: string;
}

/** Base URL of a server's agent API. */
export function agentUrl(s: Pick<ServerRow, 'ip_address' | 'ip_port'>): string {
  const host = s.ip_address.includes(':') ? `[${s.ip_address}]` : s.ip_address;
  return `http://${host}:${s.ip_port}`;
}

/**
 * Call an agent with its `X-ID`/`X-TOKEN` (5 s timeout, as the original). Resolves with its reply
 * when it answers `{"error": 0}`; throws with what was expected and what came otherwise.
 */
export async function callAgent(
  s: Pick<ServerRow, 'ip_address' | 'ip_port' | 's_id' | 'token'>,
  method: 'GET' | 'POST',
  path: string,
  json?: unknown,
  timeoutMs = 5_000,
): Promise<AgentReply> {
  const url = `${agentUrl(s)}${path}`;
  const r = await fetchJson<AgentReply>(url, {
    method,
    json,
    timeoutMs,
    headers: { 'x-id': s.s_id, 'x-token': s.token },
  });
  if (r.status === 200 && r.body && r.body.error === 0) return r.body;
  throw new Error(
    `expected {"error": 0} from the agent at ${url}, got HTTP ${r.status} error ${r.body?.error}: ${r.body?.msg ?? ''}`.trim(),
  );
}
