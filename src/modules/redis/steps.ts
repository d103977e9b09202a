// The host steps of the redis module: config, kernel settings, supervisor program, consul, PING.
import type { Step } from '../../engine/types';
import { templatesDir } from '../../paths';
import { renderDir } from '../../render';
import type { ServiceSpec } from '../common/supervised';
import type { Program } from '../common/supervisor';
import { consulServiceStep } from '../consul/service';

type Vars = Readonly<Record<string, string>>;

const TEMPLATES = templatesDir('redis');
const conf = (v: Vars) => `${v.INSTALL_PATH}/etc/redis.conf`;

/** The one program of the group: redis-server on our config, as user redis. */
export const redisProgram = (v: Vars): Program => ({
  name: 'redis',
  command: `/usr/bin/redis-server ${conf(v)}`,
  user: 'redis',
});

/** redis.conf rendered (0600, owned by redis: it holds REDIS_PASS); a change makes a restart owed. */
export async function configStep(v: Vars): Promise<Step> {
  if (!/^[^\s"'\\]+$/.test(v.REDIS_PASS ?? '')) {
    throw new Error(
      'expected REDIS_PASS to be non-empty without spaces, quotes or backslashes (redis.conf syntax), found one that is not',
    );
  }
  const bind = [...new Set([v.LAN_IP, '127.0.0.1'])].join(' ');
  const files = await renderDir(
    TEMPLATES,
    { ...v, REDIS_BIND: bind },
    {
      installPath: v.INSTALL_PATH!,
      moduleHome: `${v.INSTALL_PATH}/etc`,
      secrets: new Set(['REDIS_PASS']),
    },
  );
  return {
    id: 'config',
    title: 'render redis.conf',
    files,
    notify: 'redis',
    script: `install -d -o redis -g redis -m 0750 ${v.INSTALL_PATH}/public/redis
[ "$(stat -c %U ${conf(v)})" = redis ] || chown redis:redis ${conf(v)}`,
  };
}

/** What Redis wants of the kernel: applied now and persisted; a refusal is a warning, not a failure. */
export const KERNEL = { 'net.core.somaxconn': 512, 'vm.overcommit_memory': 1 } as const;

/** net.core.somaxconn at least 512 (never lowered), vm.overcommit_memory = 1; /etc/sysctl.d/60-bkcec-redis.conf. */
export function sysctlStep(): Step {
  const f = '/etc/sysctl.d/60-bkcec-redis.conf';
  return {
    id: 'sysctl',
    title: 'kernel settings for redis',
    always: true,
    script: `want_max=$(sysctl -n net.core.somaxconn 2>/dev/null || echo 0)
[ "$want_max" -ge ${KERNEL['net.core.somaxconn']} ] || want_max=${KERNEL['net.core.somaxconn']}
apply() {
  [ "$(sysctl -n "$1" 2>/dev/null)" = "$2" ] && return 0
  if sysctl -q -w "$1=$2" >/dev/null 2>&1 && [ "$(sysctl -n "$1")" = "$2" ]; then bk_changed
  else bk_warn "the kernel refused $1=$2 (now $(sysctl -n "$1" 2>/dev/null || echo unknown)); redis runs, but may warn or fail to fork for persistence under memory pressure"; fi
}
apply net.core.somaxconn "$want_max"
apply vm.overcommit_memory ${KERNEL['vm.overcommit_memory']}
body=$(printf '# written by bkcec (redis module)\\nnet.core.somaxconn = %s\\nvm.overcommit_memory = %s\\n' "$want_max" ${KERNEL['vm.overcommit_memory']})
if [ "$(cat ${f} 2>/dev/null)" != "$body" ]; then mkdir -p /etc/sysctl.d; printf '%s\\n' "$body" > ${f}; bk_changed; fi`,
  };
}

/** The consul service `redis` (TCP check). */
export const redisConsulStep = (v: Vars): Step =>
  consulServiceStep(v, { name: 'redis', port: Number(v.REDIS_PORT), check: { tcp: true } });

/** PING with the password read from redis.conf into REDISCLI_AUTH (never on a command line). */
export const pingStep = (v: Vars, id = 'ping'): Step => ({
  id,
  title: 'redis answers PING with auth',
  always: true,
  script: `REDISCLI_AUTH=$(sed -n 's/^requirepass //p' ${conf(v)}) || exit 1
export REDISCLI_AUTH
for i in $(seq 200); do out=$(redis-cli -h ${v.LAN_IP} -p ${v.REDIS_PORT} PING 2>&1 || true); [ "$out" = PONG ] && break; sleep 0.05; done
unset REDISCLI_AUTH
if [ "$out" != PONG ]; then bk_status "redis ${v.LAN_IP}:${v.REDIS_PORT}: expected PONG, found: $out"; exit 1; fi
bk_status "redis ${v.LAN_IP}:${v.REDIS_PORT}: PONG (authenticated)"`,
});

/** redis as a supervised service: redis.conf and the kernel settings before supervisord. */
export const redisService: ServiceSpec = {
  module: 'redis',
  packages: ['redis-server', 'redis-tools'],
  distroServices: ['redis-server'],
  setup: async (v) => [await configStep(v), sysctlStep()],
  programs: (v) => [redisProgram(v)],
  consul: redisConsulStep,
  ready: (v) => pingStep(v, 'ready'),
  check: (v) => pingStep(v),
};
