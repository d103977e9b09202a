import { describe, expect, it } from 'vitest';
import { setDefaultLocale } from '../../common/i18n';
import { nextState, offlineEnvs, refusal, STATE } from './machine';

setDefaultLocale({ lang: 'en' }); // refusals are read in English here

const app = (state: number, t = 0, o = 0) => ({ state, is_already_test: t, is_already_online: o });

describe('release state machine', () => {
  it.each([
    [app(1), 'test', null],
    [app(0, 0, 0), 'test', null],
    [app(4, 1, 1), 'test', null],
    [app(8), 'test', 'another deploy of this app is still running'],
    [app(1), 'online', 'deploy the app to test first'],
    [app(3, 1), 'online', null],
    [app(0), 'online', null],
    [app(4, 1, 1), 'online', 'the app is online: deploy it to test again before a new production release'],
    [app(9, 1), 'online', 'another deploy of this app is still running'],
    [app(1), 'offline', 'the app was never deployed'],
    [app(3, 1), 'offline', null],
    [app(0), 'offline', 'the app is not deployed anywhere'],
  ] as const)('%j %s → %s', (a, op, why) => {
    expect(refusal(a, op)).toBe(why);
  });

  it('checks the chosen environment of an offline', () => {
    expect(refusal(app(3, 1, 0), 'offline', 'prod')).toBe('the app is not deployed to production');
    expect(refusal(app(4, 0, 1), 'offline', 'test')).toBe('the app is not deployed to test');
    expect(offlineEnvs(app(4, 1, 1), 'all')).toEqual(['test', 'prod']);
    expect(offlineEnvs(app(4, 1, 1), 'prod')).toEqual(['prod']);
  });

  it('moves to the final state on success and back on failure', () => {
    expect(nextState(app(1), 'test', true)).toEqual(app(STATE.testing, 1, 0));
    expect(nextState(app(3, 1), 'online', true)).toEqual(app(STATE.online, 1, 1));
    expect(nextState(app(3, 1), 'online', false)).toEqual(app(3, 1, 0));
    expect(nextState(app(4, 1, 1), 'offline', true, 'all')).toEqual(app(0, 0, 0));
    expect(nextState(app(4, 1, 1), 'offline', true, 'test')).toEqual(app(4, 0, 1));
    expect(nextState(app(3, 1, 0), 'offline', true, 'test')).toEqual(app(0, 0, 0));
    expect(nextState(app(4, 1, 1), 'offline', true, 'prod')).toEqual(app(0, 1, 0));
  });
});
