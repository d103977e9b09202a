import { loadConfig } from '../common/config/config';
import { openDb } from '../common/db/pool';
import { serve, start } from '../common/http/program';
import { buildPaasApp } from './app';

/** Entry of the paas program (port 8001): `node paas.mjs --config /path/paas.json`. */
start('paas', async () => {
  const config = loadConfig();
  const db = openDb(config.db);
  const { app } = buildPaasApp({ config, db });
  await serve(app, 'paas', config, () => db.end());
});
