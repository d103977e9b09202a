// The one behaviour suite every Transport must pass, run over each of them (local and SSH).
import { afterAll, beforeAll } from 'vitest';
import { runTransportSuite } from '../../test/support/conformance/transport';
import { startSshd, type TestSshd } from '../../test/support/sshd';
import { LocalTransport } from './local';
import { SshTransport } from './ssh';

let sshd: TestSshd;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(() => sshd.stop());

runTransportSuite('local', async () => ({ t: new LocalTransport(), cleanup: async () => {} }));

runTransportSuite('ssh', async () => ({
  t: await SshTransport.connect('127.0.0.1', {
    user: sshd.user,
    port: sshd.port,
    keyPath: sshd.keyPath,
    knownHostsPath: sshd.knownHostsPath,
  }),
  cleanup: async () => {},
}));
