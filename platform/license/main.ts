// Entry point of the license service: `license --config PATH` (or env BKCEC_CONFIG).
import { configPathFrom, loadConfig } from './config';
import { openJsonLog } from './log';
import { startLicenseServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig(configPathFrom(process.argv.slice(2), process.env));
  const log = openJsonLog(config.logFile);
  const server = await startLicenseServer(config, log);
  const stop = async (signal: string) => {
    log.write({ event: 'stopping', signal });
    await server.close();
    await log.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // The ready line on stdout tells supervisors and tests the port even when the log goes to a file;
  // it comes after the signal handlers so a stop right after it is a clean one.
  if (config.logFile) process.stdout.write(`license: listening on ${server.address}:${server.port}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`license: ${err.message}\n`);
  process.exit(2);
});
