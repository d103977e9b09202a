// The one JSON config file the four programs share, rendered from its template (root:<service user>
// 0640: it holds the database and Redis passwords, the secret key and the ESB token).

import type { Step } from '../../engine/types';
import { templatesDir } from '../../paths';
import { renderDir } from '../../render';
import { secretFilesScript, serviceLogDirScript } from '../common/service-user';
import { restartUnits } from '../common/supervisor';
import { licenseJson } from './license';
import { innerUrl, PAAS_PROJECTS, paasPaths, projectsHere } from './paths';

type Vars = Readonly<Record<string, string>>;
const TEMPLATES = templatesDir('paas');

/** Variables the template uses beyond the host's store; every string value JSON-escaped. */
export function configVars(v: Vars): Record<string, string> {
  const esc = (s: string) => JSON.stringify(s).slice(1, -1);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = esc(val);
  for (const p of PAAS_PROJECTS) out[`INNER_${p.toUpperCase()}_URL`] = esc(innerUrl(v, p));
  out.LOGS_HOME = esc(paasPaths(v).logs);
  out.BK_LANGUAGE = v.BK_LANGUAGE === 'en' ? 'en' : 'zh-cn'; // control dirs from before it default to Chinese
  const proxies = [...new Set([...(v.NGINX_IP ?? '').split(' ').filter(Boolean), '127.0.0.1', '::1'])];
  out.TRUST_PROXY_JSON = JSON.stringify(proxies);
  out.LICENSE_JSON = licenseJson(v);
  return out;
}

/** The rendered config file; a change makes a restart owed of every paas program on this host. */
export async function configStep(v: Vars): Promise<Step> {
  const p = paasPaths(v);
  const files = await renderDir(TEMPLATES, configVars(v), {
    installPath: v.INSTALL_PATH!,
    moduleHome: p.home,
  });
  return {
    id: 'config',
    title: `render ${p.conf}`,
    files: files.map((f) => ({ ...f, mode: 0o640 })),
    notify: restartUnits('paas', projectsHere(v)),
    script: `${serviceLogDirScript(v, p.logs)}\n${secretFilesScript(
      v,
      files.map((f) => f.path),
    )}`,
  };
}
