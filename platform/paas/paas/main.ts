import { loadConfig } from '../common/config/config';
import { openDb } from '../common/db/pool';
import { listen } from '../common/http/server';
import { buildPaasApp } from './app';

/** Entry of the paas program (port 8001): `node paas.mjs --config /path/paas.json`. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = openDb(config.db);
  const { app } = buildPaasApp({ config, db });
  const stop = async () => {
    await app.close();
    await db.end();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await listen(app, { program: 'paas', config });
}

main().catch((e) => {
  console.error(`paas: ${(e as Error).message}`);
  process.exit(1);
});
