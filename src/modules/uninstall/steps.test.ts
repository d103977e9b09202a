// The uninstall steps of a module: Consul first, the module's stop inside, data only when purged.
import { describe, expect, it } from 'vitest';
import type { Step } from '../../engine/types';
import { removeBlockScript } from '../consul/etchosts';
import { footprint } from './paths';
import { uninstallSteps } from './steps';

const v = { INSTALL_PATH: '/data/bkce', LAN_IP: '10.0.0.3', CONSUL_HTTP_PORT: '8500' };
const stop: Step[] = [{ id: 'stop', title: 'stop paas', script: 'true' }];

describe('uninstall steps', () => {
  it('deregister, stop, drop the group, remove files, keep data, forget the module, in that order', () => {
    const steps = uninstallSteps('paas', v, stop, false);
    expect(steps.map((s) => s.id)).toEqual([
      'consul-services',
      'stop-stop',
      'programs',
      'files',
      'data',
      'installed-module',
    ]);
    expect(steps.every((s) => s.always)).toBe(true);
    expect(steps[0]!.script).toContain("'/data/bkce/etc/consul.d/service-paas.json'");
    // The service's token belongs to consul's config: an install here again needs it.
    expect(steps[0]!.script).not.toContain('service-paas.token');
    const data = steps.find((s) => s.id === 'data')!.script!;
    expect(data).not.toContain('rm -rf');
    expect(data).toContain('/data/bkce/logs/open_paas');
  });

  it('removes the data folders only when purged', () => {
    const data = uninstallSteps('mysql', v, [], true).find((s) => s.id === 'data')!.script!;
    expect(data).toContain("rm -rf -- '/data/bkce/public/mysql'");
    const files = uninstallSteps('mysql', v, [], true).find((s) => s.id === 'files')!.script!;
    expect(files).not.toContain('public/mysql');
  });

  it('consul goes only when it is the last module, and puts resolv.conf and /etc/hosts back', () => {
    const steps = uninstallSteps('consul', v, [], false);
    expect(steps[0]!.id).toBe('alone');
    expect(steps.find((s) => s.id === 'files')!.script).toContain('/etc/resolv.conf');
    expect(steps.find((s) => s.id === 'files')!.script).toContain(removeBlockScript());
  });

  it('refuses an INSTALL_PATH that is not an absolute folder, and an unknown module', () => {
    for (const p of ['', '/', 'data/bkce'])
      expect(() => footprint('paas', { INSTALL_PATH: p })).toThrow(/INSTALL_PATH/);
    expect(() => uninstallSteps('nosuch', v, [], false)).toThrow(/expected a module bkcec can uninstall/);
  });
});
