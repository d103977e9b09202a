import { runTransportSuite } from './conformance';
import { LocalTransport } from './local';

runTransportSuite('local', async () => ({ t: new LocalTransport(), cleanup: async () => {} }));
