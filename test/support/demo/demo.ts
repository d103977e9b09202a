// Modules made for engine tests: they write files under the host's INSTALL_PATH and run a small
// background process, with switches (files in the install path) that make chosen steps fail.

import type { EngineInventory } from '../../../src/engine/context';
import type { ModuleDef, Step } from '../../../src/engine/types';

/** An inventory of local hosts (127.0.0.x), each with its own INSTALL_PATH under `root`. */
export function localInventory(
  controlDir: string,
  root: string,
  hosts: string[],
  modules: string[],
): EngineInventory {
  return {
    controlDir,
    hosts,
    hostsOf: (m) => (modules.includes(m) ? hosts : []),
    projectsOf: () => undefined,
    varsOf: (ip) => ({
      INSTALL_PATH: `${root}/${ip}`,
      LAN_IP: ip,
      GREETING: process.env.BKCEC_DEMO_GREETING ?? `hello from ${ip}`,
    }),
  };
}

/** A module with install (config + a flaky step), start/stop (a sleeping process), status. */
export function demoModule(name: string, after: string[] = []): ModuleDef {
  const home = (v: Readonly<Record<string, string>>) => `${v.INSTALL_PATH}/${name}`;
  return {
    name,
    after,
    hosts: (c) => c.hostsOf(name),
    sync: (h) => [{ local: name, remote: `${home(h.vars)}/pkg` }],
    commands: {
      install: {
        steps: (h): Step[] => [
          {
            id: 'dir',
            title: 'make home',
            script: `[ -d ${home(h.vars)} ] || { mkdir -p ${home(h.vars)}; bk_changed; }`,
          },
          {
            id: 'config',
            title: 'write config',
            files: [
              { path: `${home(h.vars)}/app.conf`, content: `greeting=${h.vars.GREETING}\n`, mode: 0o600 },
            ],
            notify: name,
          },
          {
            id: 'flaky',
            title: 'a step that fails while FAIL_INSTALL exists',
            script: `echo "trace: $(date +%s%N) start" >> ${h.vars.INSTALL_PATH}/../trace-${h.ip}
if [ -e ${home(h.vars)}/FAIL_INSTALL ]; then echo "the flaky step was told to fail" >&2; false; fi
sleep "\${SLEEP:-0}"
if [ -e ${home(h.vars)}/SLOW ]; then sleep "$(cat ${home(h.vars)}/SLOW)"; fi
echo "trace: $(date +%s%N) end" >> ${h.vars.INSTALL_PATH}/../trace-${h.ip}`,
            inputs: { flaky: 1, greeting: h.vars.GREETING },
          },
        ],
      },
      start: {
        steps: (h): Step[] => [
          {
            id: 'run',
            title: 'ensure the process runs',
            always: true,
            consumes: name,
            script: `cd ${home(h.vars)}
if [ -e FAIL_START ]; then echo "start refused" >&2; exit 3; fi
running() { [ -f pid ] && kill -0 "$(cat pid)" 2>/dev/null; }
if running && [ "$BK_RESTART_OWED" = 1 ]; then kill "$(cat pid)"; echo restart >> restarts; fi
if ! running || [ "$BK_RESTART_OWED" = 1 ]; then (setsid sleep 300 > /dev/null 2>&1 & echo $! > pid); bk_changed; fi`,
          },
        ],
      },
      stop: {
        steps: (h): Step[] => [
          {
            id: 'stop',
            title: 'stop the process',
            always: true,
            script: `cd ${home(h.vars)} 2>/dev/null || exit 0
if [ -f pid ] && kill -0 "$(cat pid)" 2>/dev/null; then kill "$(cat pid)"; rm -f pid; bk_changed; fi`,
          },
        ],
      },
      status: {
        steps: (h): Step[] => [
          {
            id: 'status',
            title: 'is it running',
            always: true,
            script: `cd ${home(h.vars)}; if [ -f pid ] && kill -0 "$(cat pid)" 2>/dev/null; then bk_status "RUNNING pid $(cat pid)"; else bk_status EXIT; exit 1; fi`,
          },
        ],
      },
    },
  };
}
