import { type PaasConfig, publicUrl } from '../../common/config/config';
import { one, type Pool, rows } from '../../common/db/pool';
import { t } from '../../common/i18n';

/** The release body for appengine (reference §3.4): app envs, user `BKAPP_*` vars, VCS access. */
export async function releaseBody(
  cfg: PaasConfig,
  db: Pool,
  a: { code: string; auth_token: string },
  mode: 'test' | 'prod',
): Promise<{ body: Record<string, unknown> } | { error: string }> {
  const vcs = await one<{ vcs_type: number; vcs_url: string; vcs_username: string; vcs_password: string }>(
    db,
    'SELECT vcs_type, vcs_url, vcs_username, vcs_password FROM paas_app_secureinfo WHERE app_code = ?',
    [a.code],
  );
  if (!vcs?.vcs_url) return { error: t('why.no_repo') };
  if (vcs.vcs_type !== 0) return { error: t('why.git_only') };
  const envs: Record<string, string> = {};
  // mode-specific values override those for all environments
  for (const v of await rows<{ name: string; value: string; mode: string }>(
    db,
    "SELECT name, value, mode FROM paas_app_envvars WHERE app_code = ? AND mode IN ('all', ?) ORDER BY mode = 'all' DESC",
    [a.code, mode],
  ))
    envs[v.name] = v.value;
  Object.assign(envs, {
    APP_ID: a.code,
    APP_TOKEN: a.auth_token,
    BK_PAAS_HOST: publicUrl(cfg),
    BK_PAAS_INNER_HOST: `http://${cfg.domains.PAAS_INNER_DOMAIN}`,
  });
  return {
    body: {
      envs,
      triggers: { is_use_celery: false, is_use_celery_beat: false },
      mode,
      deploy_token: '',
      deploy_vars: {
        VCS_TYPE: 'git',
        VCS_PATH: vcs.vcs_url,
        VCS_USERNAME: vcs.vcs_username,
        VCS_PASSWORD: vcs.vcs_password,
      },
    },
  };
}
