import { loadAgentConfig } from './config';
import { enroll } from './enroll';
import { startHelper } from './helper/server';
import { JobRunner } from './jobs/queue';
import { buildAgentServer } from './server';

/** Serve the agent API (port 4245) and run jobs until SIGTERM. */
async function serve(argv: readonly string[]): Promise<void> {
  const cfg = loadAgentConfig(argv);
  if (process.getuid?.() === 0)
    throw new Error(
      'the agent API does not run as root: run it as the service user (the root helper does the rest)',
    );
  const jobs = new JobRunner(cfg);
  const app = buildAgentServer(cfg, jobs, true);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await app.listen({ host: cfg.listen.host, port: cfg.listen.port });
  // The original refuses to start without its controller; we only warn, so that an agent installed
  // before the platform comes up on its own once appengine answers.
  const r = await fetch(`${cfg.controllerUrl}/v1/healthz/`, { signal: AbortSignal.timeout(5_000) }).catch(
    (e: Error) => e,
  );
  if (r instanceof Error)
    console.warn(`agent: appengine at ${cfg.controllerUrl} not reachable yet: ${r.message}`);
}

/**
 * `enroll --ip IP --web-port N`: register and activate this agent with appengine. The platform
 * token comes from the environment (BKCEC_ESB_TOKEN), never from the command line.
 */
async function enrollCommand(argv: readonly string[]): Promise<void> {
  const cfg = loadAgentConfig(argv);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    const v = i >= 0 ? argv[i + 1] : undefined;
    if (!v) throw new Error(`enroll: expected ${name} VALUE`);
    return v;
  };
  const esbToken = process.env.BKCEC_ESB_TOKEN ?? '';
  if (!esbToken)
    throw new Error('enroll: expected the platform token in the environment variable BKCEC_ESB_TOKEN');
  delete process.env.BKCEC_ESB_TOKEN;
  const line = await enroll(cfg, {
    engineUrl: cfg.controllerUrl,
    esbToken,
    ip: arg('--ip'),
    agentPort: cfg.listen.port,
    webPort: Number(arg('--web-port')),
  });
  console.log(line);
}

/** `helper`: the root helper on its unix socket (supervisord runs it as root). */
async function helperCommand(argv: readonly string[]): Promise<void> {
  const server = await startHelper(loadAgentConfig(argv));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const argv = process.argv.slice(2);
(argv.includes('enroll')
  ? enrollCommand(argv)
  : argv.includes('helper')
    ? helperCommand(argv)
    : serve(argv)
).catch((e) => {
  console.error(`agent: ${(e as Error).message}`);
  process.exit(1);
});
