import type { AgentConfig } from './config';

/** Where this agent is reached, and how to reach appengine as the platform. */
export interface EnrollOptions {
  engineUrl: string;
  esbToken: string;
  ip: string;
  agentPort: number;
  webPort: number;
}

type Reply = { result: boolean; message: string; data: { id: number; is_active: boolean } | null };

async function call(o: EnrollOptions, method: string, path: string, json?: unknown): Promise<Reply> {
  const url = `${o.engineUrl}/v1/agents/${path}`;
  let r: Response;
  try {
    r = await fetch(url, {
      method,
      headers: {
        'x-app-code': 'bk_paas',
        'x-app-token': o.esbToken,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    throw new Error(
      `expected appengine to answer at ${url} (is the paas module installed and running?): ${(e as Error).message}`,
    );
  }
  const text = await r.text();
  try {
    return JSON.parse(text) as Reply;
  } catch {
    throw new Error(`expected JSON from ${url}, got HTTP ${r.status}: ${text.slice(0, 200)}`);
  }
}

/**
 * Register this agent with appengine under its configured server id and token (an update when it
 * is known), then activate it: appengine checks the running agent and makes it the only active
 * server of its environment. Returns a one-line summary.
 */
export async function enroll(cfg: AgentConfig, o: EnrollOptions): Promise<string> {
  const reg = await call(o, 'POST', '', {
    name: `${cfg.mode === 'test' ? 'appt' : 'appo'}-${o.ip}`,
    agent_ip: o.ip,
    agent_port: o.agentPort,
    web_port: o.webPort,
    mode: cfg.mode,
    s_id: cfg.sid,
    token: cfg.token,
  });
  if (!reg.result || !reg.data) throw new Error(`appengine refused the registration: ${reg.message}`);
  const act = await call(o, 'PUT', `${cfg.sid}/`);
  if (!act.result) throw new Error(`appengine refused the activation: ${act.message}`);
  return `${o.ip} registered (server ${reg.data.id}) and active for ${cfg.mode}`;
}
