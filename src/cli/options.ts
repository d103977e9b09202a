// Options every command shares, as parsed from the command line.
import { join } from 'node:path';
import { repoRoot } from '../paths';

export interface GlobalOptions {
  controlDir: string;
  pkg: string;
  parallel: number;
  limit?: string[];
  dryRun: boolean;
  fromScratch: boolean;
  json: boolean;
  acceptNewHostKeys: boolean;
}

/** The package directory `npm run build` makes, used when neither --pkg nor BKCEC_PKG says otherwise. */
export const defaultPkgDir = (): string => process.env.BKCEC_PKG ?? join(repoRoot, 'dist', 'pkg');
