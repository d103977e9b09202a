// start / stop / status of the license service. Status asks the service itself, from the controller
// over the network, with the platform certificate (a real POST /certificate through mutual TLS).
import pLimit from 'p-limit';
import { shQuote } from '../../engine/script';
import type { HostContext, RunContext, Step } from '../../engine/types';
import { startStep, statusStep, stopStep, supervisordSteps } from '../common/supervisor';
import { controlCertPaths } from './paths';
import { type LicenseStatus, licenseStatus } from './status';

type Vars = Readonly<Record<string, string>>;

/** Seconds `start` waits for the port to accept connections. */
export const READY_WAIT_SECS = 30;

/** Key of the per-host answers in the run's shared state. */

/** Waits until the service accepts TCP connections on LAN_IP:LICENSE_PORT. */
function readyStep(v: Vars): Step {
  const log = `${v.INSTALL_PATH}/logs/license/`;
  return {
    id: 'ready',
    title: `license accepts connections on ${v.LAN_IP}:${v.LICENSE_PORT}`,
    always: true,
    script: `for i in $(seq ${READY_WAIT_SECS * 20}); do
  (exec 3<>/dev/tcp/${v.LAN_IP}/${v.LICENSE_PORT}) 2>/dev/null && exit 0
  sleep 0.05
done
echo "expected the license service to accept connections on ${v.LAN_IP}:${v.LICENSE_PORT} within ${READY_WAIT_SECS} s, found none; logs: ${log}" >&2; exit 1`,
  };
}

const supervisord = (v: Vars): Step[] => supervisordSteps(v).map((s) => ({ ...s, always: true }));

/** The steps of `start license`. */
export const startSteps = (v: Vars): Step[] => [...supervisord(v), startStep(v, 'license'), readyStep(v)];

/** The steps of `stop license`. */
export const stopSteps = (v: Vars): Step[] => [stopStep(v, 'license')];

/** Controller side: one real certificate check per license host. */
export async function prepareStatus(
  ctx: RunContext,
  hosts: readonly string[],
): Promise<Map<string, LicenseStatus>> {
  const p = controlCertPaths(ctx.controlDir);
  const limit = pLimit(8);
  const answers = new Map<string, LicenseStatus>();
  await Promise.all(
    hosts.map((ip) =>
      limit(async () => {
        const url = `https://${ip}:${ctx.varsOf(ip).LICENSE_PORT}`;
        answers.set(ip, await licenseStatus(url, p.serverCaCert, p.platformCert, p.platformKey));
      }),
    ),
  );
  return answers;
}

/** One line about what the service said of the platform certificate. */
export function describeStatus(s: LicenseStatus): string {
  if (s.result === null) return `license: certificate check FAILED: ${s.message}`;
  if (!s.valid) return `license: certificate INVALID (result ${s.result}): ${s.message}`;
  const end = s.validEnd ? s.validEnd.toISOString().slice(0, 10) : 'unknown';
  return `license: certificate valid until ${end} (${s.daysLeft ?? '?'} day(s) left)`;
}

/** The steps of `status license`: the supervisor line, then the service's own answer. */
export function statusSteps(h: HostContext, answers?: ReadonlyMap<string, LicenseStatus>): Step[] {
  const s = answers?.get(h.ip);
  const check: Step = s
    ? {
        id: 'certificate',
        title: 'POST /certificate with the platform certificate',
        always: true,
        script: `bk_status ${shQuote(describeStatus(s))}\n${s.valid ? 'exit 0' : 'exit 1'}`,
      }
    : { id: 'certificate', title: 'POST /certificate with the platform certificate', dynamic: true };
  return [statusStep(h.vars, 'license'), check];
}
