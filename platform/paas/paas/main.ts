import { configPath, loadConfig } from '../common/config/config';
import { openDb } from '../common/db/pool';
import { serve, start } from '../common/http/program';
import { buildPaasApp } from './app';
import { licenseCertPath } from './license/days';

/** Entry of the paas program (port 8001): `node paas.mjs --config /path/paas.json`. */
start('paas', async () => {
  const config = loadConfig();
  const db = openDb(config.db);
  const licenseCert = licenseCertPath(configPath(process.argv.slice(2)));
  const { app } = buildPaasApp({ config, db, licenseCert });
  await serve(app, 'paas', config, () => db.end());
});
