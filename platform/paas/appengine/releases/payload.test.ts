import { describe, expect, it } from 'vitest';
import { parseRelease } from './payload';

describe('release body', () => {
  it('accepts the paas payload and turns scalar values into strings', () => {
    const r = parseRelease({
      envs: { APP_ID: 'a', BKAPP_N: 3 },
      deploy_vars: { VCS_TYPE: 'git', VCS_PATH: '/r.git' },
      triggers: { is_use_celery: false },
    });
    expect(r).toEqual({
      envs: { APP_ID: 'a', BKAPP_N: '3' },
      deploy_vars: { VCS_TYPE: 'git', VCS_PATH: '/r.git' },
      deploy_token: '',
      saas_settings: {},
      is_saas: false,
      use_celery: false,
      triggers: { is_use_celery: false, is_use_celery_beat: false },
      app_lang: '',
    });
  });
  it.each([
    [{ envs: [] }, 'envs: expected an object of strings'],
    [{ envs: { 'BAD-NAME': 'x' } }, 'envs: expected variable names like BKAPP_X, got "BAD-NAME"'],
    [{ envs: { A: null } }, 'envs.A: expected a string, got null'],
    [{ envs: { A: 'x'.repeat(1025) } }, 'envs.A: expected at most 1024 characters, got 1025'],
    [{ saas_settings: 'u' }, 'saas_settings: expected an object'],
    [
      { envs: { [`BKAPP_${'N'.repeat(45)}`]: 'x' } },
      `envs.BKAPP_${'N'.repeat(45)}: expected a BKAPP_ name of at most 50 characters, got 51`,
    ],
    [{ envs: { BKAPP_V: 'v'.repeat(1001) } }, 'envs.BKAPP_V: expected at most 1000 characters, got 1001'],
  ])('refuses %j', (body, msg) => {
    expect(parseRelease(body as Record<string, unknown>)).toBe(msg);
  });
});
