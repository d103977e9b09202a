/** The release body paas sends (reference §3.4), validated. */
export interface ReleaseBody {
  envs: Record<string, string>;
  deploy_vars: Record<string, string>;
  deploy_token: string;
  saas_settings: Record<string, unknown>;
  is_saas: boolean;
  use_celery: boolean;
  /** The language the caller declares ('' = the agent takes the code's). */
  app_lang: string;
  /** As the agent reads them. */
  triggers: { is_use_celery: boolean; is_use_celery_beat: boolean };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

function strings(v: unknown, field: string, maxValue: number): Record<string, string> | string {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return `${field}: expected an object of strings`;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!NAME.test(k)) return `${field}: expected variable names like BKAPP_X, got ${JSON.stringify(k)}`;
    if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean')
      return `${field}.${k}: expected a string, got ${val === null ? 'null' : typeof val}`;
    const s = String(val);
    if (s.length > maxValue) return `${field}.${k}: expected at most ${maxValue} characters, got ${s.length}`;
    // user variables (legacy limits): name up to 50, value up to 1000 characters
    if (k.startsWith('BKAPP_') && k.length > 50)
      return `${field}.${k}: expected a BKAPP_ name of at most 50 characters, got ${k.length}`;
    if (k.startsWith('BKAPP_') && s.length > 1000)
      return `${field}.${k}: expected at most 1000 characters, got ${s.length}`;
    out[k] = s;
  }
  return out;
}

/** Parse the body or say what is wrong with it. */
export function parseRelease(b: Record<string, unknown>): ReleaseBody | string {
  const envs = strings(b.envs, 'envs', 1024);
  if (typeof envs === 'string') return envs;
  const deploy_vars = strings(b.deploy_vars, 'deploy_vars', 4096);
  if (typeof deploy_vars === 'string') return deploy_vars;
  const saas = b.saas_settings;
  if (saas !== undefined && saas !== null && (typeof saas !== 'object' || Array.isArray(saas)))
    return 'saas_settings: expected an object';
  const lang = b.app_lang ?? '';
  if (lang !== '' && lang !== 'python' && lang !== 'nodejs')
    return `app_lang: expected python or nodejs, got ${JSON.stringify(lang)}`;
  const triggers = (b.triggers ?? {}) as Record<string, unknown>;
  const yes = (v: unknown) => v === true || v === 'true';
  return {
    app_lang: lang,
    triggers: {
      is_use_celery: yes(triggers.is_use_celery),
      is_use_celery_beat: yes(triggers.is_use_celery_beat),
    },
    envs,
    deploy_vars,
    deploy_token: typeof b.deploy_token === 'string' ? b.deploy_token : '',
    saas_settings: (saas ?? {}) as Record<string, unknown>,
    is_saas: b.is_saas === true,
    use_celery: triggers.is_use_celery === true || triggers.is_use_celery === 'true',
  };
}
