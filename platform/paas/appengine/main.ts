import { configPath, loadConfig } from '../common/config/config';
import { openDb } from '../common/db/pool';
import { serve, start } from '../common/http/program';
import { buildAppengineApp } from './app';
import { gateFromSection, licenseSection } from './license';

/** Entry of the appengine program (port 8000): `node appengine.mjs --config /path/paas.json`. */
start('appengine', async () => {
  const config = loadConfig();
  const db = openDb(config.db);
  const license = gateFromSection(licenseSection(configPath(process.argv.slice(2))));
  const app = buildAppengineApp({ config, db, license });
  await serve(app, 'appengine', config, () => db.end());
});
