import { configPath, loadConfig } from '../common/config/config';
import { openDb } from '../common/db/pool';
import { listen } from '../common/http/server';
import { buildAppengineApp } from './app';
import { gateFromSection, licenseSection } from './license';

/** Entry of the appengine program (port 8000): `node appengine.mjs --config /path/paas.json`. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = openDb(config.db);
  const license = gateFromSection(licenseSection(configPath(process.argv.slice(2))));
  const app = buildAppengineApp({ config, db, license });
  const stop = async () => {
    await app.close();
    await db.end();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await listen(app, { program: 'appengine', config });
}

main().catch((e) => {
  console.error(`appengine: ${(e as Error).message}`);
  process.exit(1);
});
