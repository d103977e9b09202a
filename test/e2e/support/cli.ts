// bkcec from the TypeScript sources (node --import tsx test/e2e/support/cli.ts …), whatever the state
// of the dist/cli bundle that bin/bkcec.mjs prefers.
import { main } from '../../../src/cli/main';

process.exitCode = await main(process.argv.slice(2));
