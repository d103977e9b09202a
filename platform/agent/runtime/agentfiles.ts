import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentConfig } from '../config';

/** Restores the `collections` ABC aliases Python 3.10 removed (apps of the blueapps 3.x era use them). */
export const SITECUSTOMIZE = `# written by the bkcec agent: compatibility for apps written for Python 3.6-3.9
import collections
import collections.abc
for _name in collections.abc.__all__:
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))
`;

/** The agent's own read-only helpers (root 0755), shared by every app's user. */
export const agentDir = (cfg: AgentConfig) => join(cfg.appsDir, '.agent');

const ASKPASS =
  '#!/bin/sh\ncase "$1" in Username*) printf %s "$BKCEC_GIT_USERNAME";; *) printf %s "$BKCEC_GIT_PASSWORD";; esac\n';

/** Write the agent's helpers every app user may read: git's askpass and Python's sitecustomize. */
export async function writeAgentFiles(cfg: AgentConfig): Promise<void> {
  const dir = agentDir(cfg);
  await mkdir(join(dir, 'pycompat'), { recursive: true, mode: 0o755 });
  for (const d of [dir, join(dir, 'pycompat')]) await chmod(d, 0o755); // whatever the umask
  for (const [f, body] of [
    ['askpass.sh', ASKPASS],
    ['pycompat/sitecustomize.py', SITECUSTOMIZE],
  ] as const) {
    await writeFile(join(dir, f), body);
    await chmod(join(dir, f), 0o755);
  }
}
