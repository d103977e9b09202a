// The legacy template file-name rule: `#` stands for `/`; a leading `#` means "under INSTALL_PATH",
// otherwise the path is under the module's home; a trailing `.tpl` is dropped.
import { posix } from 'node:path';

/** Where a template named `name` lands on a host. */
export function templateTarget(name: string, installPath: string, moduleHome: string): string {
  const base = name.endsWith('.tpl') ? name.slice(0, -4) : name;
  const underInstall = base.startsWith('#');
  const rel = (underInstall ? base.slice(1) : base).split('#').join('/');
  if (!rel || rel.split('/').some((p) => p === '' || p === '..' || p === '.')) {
    throw new Error(
      `template name ${JSON.stringify(name)}: expected segments like "#etc#x.conf", found an empty or relative segment`,
    );
  }
  return posix.join(underInstall ? installPath : moduleHome, rel);
}
