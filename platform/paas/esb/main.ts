import cluster from 'node:cluster';
import { loadConfig } from '../common/config/config';
import { createEsbServer } from './server';
import { loadEsbSettings } from './settings';

/** One process serving the port (the only one, or a cluster worker). */
async function serve(): Promise<void> {
  const config = loadConfig();
  const esb = await createEsbServer(config, loadEsbSettings());
  const port = config.listen.ports.esb;
  await esb.app.listen({ host: config.listen.host, port });
  process.stderr.write(`esb ${process.pid} listening on ${config.listen.host}:${port}\n`);
  const stop = () => {
    esb.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** With `esb.workers` > 1: fork the workers, replace one that dies (at most once a second), stop them all on SIGTERM. */
function supervise(workers: number): void {
  let stopping = false;
  let lastFork = 0;
  const fork = () => {
    lastFork = Date.now();
    cluster.fork();
  };
  for (let i = 0; i < workers; i++) fork();
  cluster.on('exit', (w, code) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    process.stderr.write(`esb worker ${w.process.pid} exited with ${code}; starting another\n`);
    setTimeout(fork, Math.max(0, 1_000 - (Date.now() - lastFork)));
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Entry point of the ESB program (port 8002): `node main.mjs --config /path/paas.json`. */
async function main(): Promise<void> {
  if (cluster.isPrimary) loadConfig(); // refuse a bad config once, before forking anything
  const workers = cluster.isPrimary ? loadEsbSettings().workers : 1;
  if (workers > 1) supervise(workers);
  else await serve();
}

main().catch((e: Error) => {
  process.stderr.write(`esb: ${e.message}\n`);
  process.exit(1);
});
