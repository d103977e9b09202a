// The platform's own Node.js runtime: the package directory's `node/` folder, which `bkcec sync`
// ships to every host that runs a platform program (never the host's node).

/** The runtime's folder in the package directory (dist/pkg) that scripts/build.mjs fills. */
export const NODE_PKG_DIR = 'node';

/** Where the runtime lives on a host under INSTALL_PATH, and the programs in it. */
export function nodeRuntime(installPath: string): { home: string; bin: string; npmCli: string } {
  const home = `${installPath}/service/node`;
  return { home, bin: `${home}/bin/node`, npmCli: `${home}/lib/node_modules/npm/bin/npm-cli.js` };
}
