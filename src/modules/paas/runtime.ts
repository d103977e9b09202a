// The platform's own Node.js runtime on every host that runs a platform program (never the host's node).
import { NODE_PKG_DIR, nodeRuntime } from '../../../lib/runtime';
import { shQuote } from '../../engine/script';
import type { Step, SyncSpec } from '../../engine/types';

type Vars = Readonly<Record<string, string>>;

/** Where `sync` puts the runtime on a host. */
export const nodeHome = (v: Vars): string => nodeRuntime(v.INSTALL_PATH!).home;

/** The node binary programs are started with. */
export const nodeBin = (v: Vars): string => nodeRuntime(v.INSTALL_PATH!).bin;

/** The package directory's runtime, shipped to `nodeHome`. */
export const nodeSync = (v: Vars): SyncSpec => ({ local: NODE_PKG_DIR, remote: nodeHome(v) });

/** Fails unless the shipped runtime runs here (wrong architecture, missing libraries, not synced). */
export function runtimeStep(v: Vars): Step {
  const bin = shQuote(nodeBin(v));
  return {
    id: 'node-runtime',
    title: 'platform Node.js runtime runs',
    always: true,
    script: `if ! out=$(${bin} --version 2>&1); then
  echo "expected the platform's Node.js at ${nodeBin(v)} to run (bkcec sync ships it), found: \${out:-nothing}" >&2; exit 1
fi`,
  };
}
