import type { Source } from '../runtime/fetch';

/** An online/offline job as appengine sends it (reference §5.1), validated. */
export interface JobRequest {
  app_code: string;
  event_id: string;
  mode: 'test' | 'prod';
  envs: Record<string, string>;
  /** Where the code comes from (online jobs only). */
  source?: Source;
  /** The language the developer center registered (`python` / `nodejs`); '' = take the code's. */
  language: string;
  /** Run a Celery worker (and beat) beside the app. */
  celery: { worker: boolean; beat: boolean };
}

/**
 * Git URLs the agent fetches: http(s)://, git://, ssh:// and scp-like `user@host:path`. Never
 * file://, `ext::` transports or local paths (they would read the agent host's own files).
 */
export function remoteGitUrl(url: string): boolean {
  if (/[\s\0]/.test(url) || url.startsWith('-')) return false;
  if (/^(https?|git|ssh):\/\/[^/\s]+\/\S+$/.test(url)) return true;
  return /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)[^\s]+$/.test(url);
}

const CODE = /^[a-z][a-z0-9_-]{0,29}$/;
const EVENT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ENV = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parse a job body; `online` also requires a code source. Returns the job or what is wrong. */
export function parseJob(b: Record<string, unknown>, online: boolean): JobRequest | string {
  const code = String(b.app_code ?? '');
  if (!CODE.test(code))
    return `app_code: expected lower-case letters, digits, - or _, got ${JSON.stringify(b.app_code ?? null)}`;
  const event = String(b.event_id ?? '');
  if (!EVENT.test(event)) return `event_id: expected a UUID, got ${JSON.stringify(b.event_id ?? null)}`;
  if (b.mode !== 'test' && b.mode !== 'prod')
    return `mode: expected test or prod, got ${JSON.stringify(b.mode ?? null)}`;
  const envs: Record<string, string> = {};
  for (const [k, v] of Object.entries((b.envs ?? {}) as Record<string, unknown>)) {
    if (!ENV.test(k)) return `envs: expected variable names, got ${JSON.stringify(k)}`;
    envs[k] = String(v);
  }
  const lang = String(b.app_lang ?? '');
  if (lang && lang !== 'python' && lang !== 'nodejs')
    return `app_lang: expected python or nodejs, got ${JSON.stringify(lang)}`;
  const t = (b.triggers ?? {}) as Record<string, unknown>;
  const yes = (v: unknown) => v === true || v === 'true' || v === 1;
  const job: JobRequest = {
    app_code: code,
    event_id: event,
    mode: b.mode,
    envs,
    language: lang,
    celery: { worker: yes(t.is_use_celery), beat: yes(t.is_use_celery) && yes(t.is_use_celery_beat) },
  };
  if (!online) return job;
  const saas = (b.saas_settings ?? {}) as Record<string, unknown>;
  const vars = (b.deploy_vars ?? {}) as Record<string, unknown>;
  if (b.is_saas === true || typeof saas.url === 'string') {
    if (typeof saas.url !== 'string' || !saas.url) return 'saas_settings.url: expected the package URL';
    job.source = { kind: 'package', url: saas.url, md5: typeof saas.md5 === 'string' ? saas.md5 : '' };
    return job;
  }
  const type = String(vars.VCS_TYPE ?? 'git');
  if (type !== 'git')
    return `deploy_vars.VCS_TYPE: expected git (the only VCS this agent supports), got ${JSON.stringify(type)}`;
  const url = String(vars.VCS_PATH ?? '');
  if (!remoteGitUrl(url))
    return `deploy_vars.VCS_PATH: expected a remote git URL (https://, git://, ssh:// or user@host:path; never file:// or a local path), got ${JSON.stringify(url)}`;
  job.source = {
    kind: 'git',
    url,
    username: vars.VCS_USERNAME ? String(vars.VCS_USERNAME) : undefined,
    password: vars.VCS_PASSWORD ? String(vars.VCS_PASSWORD) : undefined,
  };
  return job;
}
