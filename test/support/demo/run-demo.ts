// A controller process for kill tests: `tsx run-demo.ts ROOT COMMAND [MODULE]` drives the demo module
// on 127.0.0.1 with the engine-test layout under ROOT (GREETING from BKCEC_DEMO_GREETING).
import { join } from 'node:path';
import { Engine } from '../../../src/engine/engine';
import type { Command } from '../../../src/engine/types';
import { LocalTransport } from '../../../src/transport/local';
import { demoModule, localInventory } from './demo';

const [root, command, module = 'demo'] = process.argv.slice(2);
const e = new Engine({
  inventory: localInventory(join(root!, 'ctrl'), join(root!, 'hosts'), ['127.0.0.1'], ['demo']),
  modules: [demoModule('demo')],
  pkgDir: join(root!, 'pkg'),
  openTransport: async (h) => new LocalTransport(h),
  emit: (ev) => {
    if (ev.type === 'step') console.log(`${ev.command} ${ev.step} ${ev.outcome}`);
  },
});
const r = command === 'deploy' ? await e.deploy() : await e.run(command as Command, module);
process.exit(r.ok ? 0 : 1);
