// The one supervisord per host (Debian's supervisor) with one program group per module; its config
// lives under INSTALL_PATH/etc, its socket and pid under INSTALL_PATH/run.

import { shQuote } from '../../engine/script';
import type { Step } from '../../engine/types';
import { svFunctions } from './supervisor-sh';

export interface Program {
  /** Program name inside the module's group (e.g. `esb`). */
  name: string;
  command: string;
  directory?: string;
  /** Environment (no secrets: supervisor shows it to anyone who can read its config). */
  environment?: Record<string, string>;
  user?: string;
  /** Seconds a program must stay up to count as started (default 1: readiness is each module's own probe). */
  startsecs?: number;
  stopsignal?: 'TERM' | 'INT' | 'QUIT' | 'KILL';
  stopwaitsecs?: number;
}

type Vars = Readonly<Record<string, string>>;
const conf = (v: Vars) => `${v.INSTALL_PATH}/etc/supervisord.conf`;

/** supervisord.conf for a host. */
export function supervisordConf(v: Vars): string {
  const p = v.INSTALL_PATH;
  return `; written by bkcec: one supervisord per host, one group per module
[unix_http_server]
file=${p}/run/supervisor.sock
chmod=0700

[supervisord]
logfile=${p}/logs/supervisord.log
logfile_maxbytes=50MB
logfile_backups=5
pidfile=${p}/run/supervisord.pid
childlogdir=${p}/logs
minfds=1024
; Logs and files of programs readable by owner and group only.
umask=027

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${p}/run/supervisor.sock

[include]
files = ${p}/etc/supervisor.d/*.conf
`;
}

/** The steps that give a host its supervisord (config written, daemon running). */
export function supervisordSteps(v: Vars): Step[] {
  return [
    {
      id: 'supervisord',
      title: 'supervisord for this host',
      // Every time: the daemon may have died (reboot, kill) while the journal says "done".
      always: true,
      files: [{ path: conf(v), content: supervisordConf(v), mode: 0o644 }],
      script: `${svFunctions(v)}
sv_up && exit 0
mkdir -p ${v.INSTALL_PATH}/run ${v.INSTALL_PATH}/logs ${v.INSTALL_PATH}/etc/supervisor.d
# Programs inherit supervisord's open-files limit: raise the soft limit to the hard one (no privilege
# needed; a fixed minfds fails where the hard limit is lower, e.g. in containers).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
rm -f "$sv_sock"
# supervisord opens its own log before it applies umask=027: start it with that umask already.
if [ -e ${v.INSTALL_PATH}/logs/supervisord.log ]; then chmod 0640 ${v.INSTALL_PATH}/logs/supervisord.log; fi
umask 027
supervisord -c ${shQuote(conf(v))}
: > "$BK_TMP/supervisord-started"; bk_changed
for i in $(seq 100); do sv_up && exit 0; sleep 0.1; done
echo "supervisord did not answer on its socket; see ${v.INSTALL_PATH}/logs/supervisord.log" >&2; exit 1`,
    },
  ];
}

/** The module's program group file; a change makes a restart of `module` owed. */
export function programsStep(v: Vars, module: string, programs: readonly Program[]): Step {
  const sections = programs.map((p) => {
    const env = Object.entries(p.environment ?? {})
      .map(([k, val]) => `${k}="${val.replace(/"/g, '\\"')}"`)
      .join(',');
    return [
      `[program:${module}-${p.name}]`,
      `command=${p.command}`,
      p.directory ? `directory=${p.directory}` : '',
      env ? `environment=${env}` : '',
      p.user ? `user=${p.user}` : '',
      'autostart=true',
      'autorestart=true',
      `startsecs=${p.startsecs ?? 1}`,
      'startretries=10',
      `stopsignal=${p.stopsignal ?? 'TERM'}`,
      `stopwaitsecs=${p.stopwaitsecs ?? 30}`,
      'stopasgroup=true',
      'killasgroup=true',
      `stdout_logfile=${v.INSTALL_PATH}/logs/${module}/${p.name}.out.log`,
      'redirect_stderr=true',
      'stdout_logfile_maxbytes=50MB',
      'stdout_logfile_backups=5',
    ]
      .filter(Boolean)
      .join('\n');
  });
  const group = `[group:${module}]\nprograms=${programs.map((p) => `${module}-${p.name}`).join(',')}`;
  return {
    id: 'supervisor-programs',
    title: `supervisor programs of ${module}`,
    files: [
      {
        path: `${v.INSTALL_PATH}/etc/supervisor.d/${module}.conf`,
        content: `${[...sections, group].join('\n\n')}\n`,
      },
    ],
    script: `install -d -m 0750 ${v.INSTALL_PATH}/logs/${module}
chmod 0750 ${v.INSTALL_PATH}/logs/${module}`,
    notify: module,
  };
}

/** Restart units of a module's programs (`paas:esb`): a step changing their config notifies these. */
export const restartUnits = (module: string, programs?: readonly string[]): string[] =>
  (programs ?? []).map((p) => `${module}:${p}`);

/** Shell: a module's debt paid for a scope of programs stays owed by the module's other programs. */
const keepOthers = (module: string, names: string) => `
    for p in $(sv_states ${module} | cut -d' ' -f1); do
      n=\${p#${module}:${module}-}
      case " ${names} " in *" $n "*) ;; *) [ -e "$BK_OWED/${module}:$n" ] || echo "$(date +%s%N) $$" > "$BK_OWED/${module}:$n" ;; esac
    done`;

/** Start the group (restart what is owed), then wait until every program is RUNNING. */
export function startStep(v: Vars, module: string, programs?: readonly string[], waitSecs = 60): Step {
  const targets = programs?.length
    ? programs.map((p) => `${module}:${module}-${p}`).join(' ')
    : `${module}:*`;
  const names = (programs ?? []).join(' ');
  return {
    id: 'start',
    title: `start ${module}`,
    always: true,
    // The module's own debt (program files, bundles) and each program's (see restartUnits).
    consumes: [module, ...restartUnits(module, programs)],
    script: `${svFunctions(v)}
c="$sv_conf"
before=$(sv_states ${module} ${names})
# Owed: the whole scope when the module itself is owed, else only the programs that are.
owed_targets="${targets}"
case " $BK_OWED_UNITS " in
  *" ${module} "*)${programs?.length ? keepOthers(module, names) : ''} ;;
  *) owed_targets=""; for u in $BK_OWED_UNITS; do owed_targets="$owed_targets ${module}:${module}-\${u#${module}:}"; done ;;
esac
# Nothing owed and every program RUNNING: done (a changed program file always makes a restart owed).
if [ "$BK_RESTART_OWED" != 1 ] && sv_all_in "$before" RUNNING; then exit 0; fi
out=$(supervisorctl -c "$c" update ${module} 2>&1) || { echo "$out" >&2; exit 1; }
# A supervisord started by this script launched every program from the files on disk just now.
fresh=""; [ -e "$BK_TMP/supervisord-started" ] && fresh=1
case "$out" in *added*|*updated*) fresh=1; bk_changed;; *removed*) bk_changed;; esac
# A group update just (re)started with the new config pays an owed restart; restarting again would
# signal programs in the middle of their startup (MariaDB can hang on a TERM that early).
if [ "$BK_RESTART_OWED" = 1 ] && [ -z "$fresh" ]; then supervisorctl -c "$c" restart $owed_targets >/dev/null; supervisorctl -c "$c" start ${targets} >/dev/null 2>&1 || true; bk_changed
else supervisorctl -c "$c" start ${targets} >/dev/null 2>&1 || true; fi
for i in $(seq ${waitSecs * 20}); do
  now=$(sv_states ${module} ${names})
  sv_all_in "$now" RUNNING && break
  sleep 0.05
done
if ! sv_all_in "$now" RUNNING; then echo "$now" >&2; echo "not every program of ${module} reached RUNNING; logs: ${v.INSTALL_PATH}/logs/${module}/" >&2; exit 1; fi
# Changed only when this step started something: a program that was down (not merely finishing its
# own start, e.g. brought back by supervisor after a crash) or missing from supervisord.
if [ -z "$before" ] || sv_any_in "$before" STOPPED EXITED FATAL; then bk_changed; fi`,
  };
}

/** Stop the programs in scope and wait until none is up (nothing to do when supervisord is absent). */
export function stopStep(v: Vars, module: string, programs?: readonly string[], waitSecs = 60): Step {
  const targets = programs?.length
    ? programs.map((p) => `${module}:${module}-${p}`).join(' ')
    : `${module}:*`;
  const names = (programs ?? []).join(' ');
  return {
    id: 'stop',
    title: `stop ${module}`,
    always: true,
    script: `${svFunctions(v)}
sv_up || exit 0
now=$(sv_states ${module} ${names})
sv_any_in "$now" RUNNING STARTING BACKOFF STOPPING || exit 0
out=$(supervisorctl -c "$sv_conf" stop ${targets} 2>&1) || { echo "$out" >&2; exit 1; }
bk_changed
for i in $(seq ${waitSecs * 20}); do
  now=$(sv_states ${module} ${names})
  sv_any_in "$now" RUNNING STARTING BACKOFF STOPPING || exit 0
  sleep 0.05
done
echo "$now" >&2; echo "not every program of ${module} stopped; logs: ${v.INSTALL_PATH}/logs/${module}/" >&2; exit 1`,
  };
}

/** One status line per program; fails when any is not RUNNING. */
export function statusStep(v: Vars, module: string, programs?: readonly string[]): Step {
  return {
    id: 'status',
    title: `status of ${module}`,
    always: true,
    script: `${svFunctions(v)}
if ! sv_up; then bk_status "${module}: EXIT (supervisord is not running)"; exit 1; fi
out=$(sv_states ${module} ${(programs ?? []).join(' ')})
[ -n "$out" ] || { bk_status "${module}: EXIT (no programs of ${module} in supervisord)"; exit 1; }
bad=0
while IFS= read -r line; do [ -n "$line" ] || continue; bk_status "$line"; case "$line" in *' RUNNING '*) ;; *) bad=1;; esac; done <<< "$out"
exit $bad`,
  };
}
