import { parseAppYml } from '../../appengine/saas/validate';
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
  const saas = await saasPackage(db, a.code);
  if (saas) return { body: { ...(await commonBody(cfg, db, a, mode, saas.env)), ...saas.body } };
  const vcs = await one<{ vcs_type: number; vcs_url: string; vcs_username: string; vcs_password: string }>(
    db,
    'SELECT vcs_type, vcs_url, vcs_username, vcs_password FROM paas_app_secureinfo WHERE app_code = ?',
    [a.code],
  );
  if (!vcs?.vcs_url) return { error: t('why.no_repo') };
  if (vcs.vcs_type !== 0) return { error: t('why.git_only') };
  return {
    body: {
      ...(await commonBody(cfg, db, a, mode, [])),
      triggers: await celerySettings(db, a.code),
      deploy_vars: {
        VCS_TYPE: 'git',
        VCS_PATH: vcs.vcs_url,
        VCS_USERNAME: vcs.vcs_username,
        VCS_PASSWORD: vcs.vcs_password,
      },
    },
  };
}

/** A git app's Celery settings (set on the deploy-to-test form), as the release's triggers. */
export async function celerySettings(db: Pool, code: string) {
  const r = await one<{ is_use_celery: number; is_use_celery_beat: number }>(
    db,
    'SELECT is_use_celery, is_use_celery_beat FROM paas_app WHERE code = ?',
    [code],
  );
  const worker = r?.is_use_celery === 1;
  return { is_use_celery: worker, is_use_celery_beat: worker && r?.is_use_celery_beat === 1 };
}

/**
 * For an S-mart app (paas_app.is_saas), its newest uploaded package: deployed by id (appengine
 * hands the agent its URL and md5), with app.yml's Celery flags, language and BKAPP_ defaults.
 */
async function saasPackage(db: Pool, code: string) {
  const app = await one<{ is_saas: number }>(db, 'SELECT is_saas FROM paas_app WHERE code = ?', [code]);
  if (!app?.is_saas) return undefined;
  const pkg = await one<{ id: number; app_yml: string }>(
    db,
    'SELECT id, app_yml FROM engine_saas_packages WHERE app_code = ? ORDER BY id DESC LIMIT 1',
    [code],
  );
  if (!pkg) return undefined;
  const meta = parseAppYml(pkg.app_yml, code);
  return {
    env: meta.env,
    body: {
      is_saas: true,
      app_lang: meta.language,
      saas_settings: { package_id: pkg.id },
      triggers: { is_use_celery: meta.is_use_celery, is_use_celery_beat: meta.is_use_celery_beat },
      deploy_vars: {},
    },
  };
}

/** What every release carries: the app's envs (app.yml defaults, then user variables) and mode. */
async function commonBody(
  cfg: PaasConfig,
  db: Pool,
  a: { code: string; auth_token: string },
  mode: 'test' | 'prod',
  defaults: readonly { key: string; value: string }[],
) {
  const envs: Record<string, string> = Object.fromEntries(defaults.map((e) => [e.key, e.value]));
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
  return { envs, mode, deploy_token: '' };
}
