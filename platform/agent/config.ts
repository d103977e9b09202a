// Reading agent.json on an agent host; its schema is shared with the controller that writes it.
import { readFileSync } from 'node:fs';
import { type AgentConfig, parseAgentConfig } from '../../lib/config/agent';

export { type AgentConfig, AgentConfigSchema, parseAgentConfig } from '../../lib/config/agent';

/** Read `--config PATH` (or `--config=PATH`) from argv. */
export function loadAgentConfig(argv: readonly string[]): AgentConfig {
  const i = argv.indexOf('--config');
  const path = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--config='))?.slice('--config='.length);
  if (!path) throw new Error('no config file: expected --config PATH');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read agent config ${path}: ${(e as Error).message}`);
  }
  return parseAgentConfig(raw, path);
}

/** URL prefix of an app on this agent: `/t/<code>/` or `/o/<code>/`. */
export function urlPrefix(cfg: Pick<AgentConfig, 'mode'>, code: string): string {
  return `/${cfg.mode === 'test' ? 't' : 'o'}/${code}/`;
}
