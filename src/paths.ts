// Where the repository's own files are, the same whether the controller runs from src/ (tsx)
// or from its bundle in dist/cli/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'modules'))) return dir;
  }
  throw new Error(`cannot find the bkcec repository above ${from}`);
}

/** The repository root (holds package.json, src/, dist/). */
export const repoRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A module's templates folder, e.g. src/modules/nginx/templates. */
export const templatesDir = (module: string): string => join(repoRoot, 'src', 'modules', module, 'templates');
