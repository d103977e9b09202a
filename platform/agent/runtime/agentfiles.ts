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

# The platform's Celery broker lets the app's Redis account reach only keys and channels under
# BK_BROKER_KEY_PREFIX: kombu's Redis transport (>= 5.3) gets it as its default global_keyprefix
# (an app's own broker_transport_options still win), and fanout uses SUBSCRIBE on its exact
# channels instead of PSUBSCRIBE (Redis ACLs compare PSUBSCRIBE patterns literally).
import os as _os
import sys as _sys

_prefix = _os.environ.get("BK_BROKER_KEY_PREFIX")
if _prefix:
    import importlib.abc as _abc
    import importlib.util as _util

    class _KombuPrefix(_abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name != "kombu.transport.redis":
                return None
            _sys.meta_path.remove(self)
            try:
                spec = _util.find_spec(name)
            finally:
                _sys.meta_path.insert(0, self)
            if spec is None or spec.loader is None:
                return spec
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                channel = getattr(module, "Channel", None)
                if channel is None or not hasattr(channel, "global_keyprefix"):
                    return
                channel.global_keyprefix = _prefix

                def _subscribe(self):
                    # kombu's topics are exact channel names: SUBSCRIBE them, which the ACL allows
                    topics = [self._get_subscribe_topic(q) for q in self.active_fanout_queues]
                    if not topics:
                        return
                    sub = self.subclient
                    if sub.connection._sock is None:
                        sub.connection.connect()
                    self._in_listen = sub.connection
                    sub.subscribe(topics)

                channel._subscribe = _subscribe

            spec.loader.exec_module = exec_module
            return spec

    _sys.meta_path.insert(0, _KombuPrefix())
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
