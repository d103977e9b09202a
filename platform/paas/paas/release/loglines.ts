// The platform's own lines in a deploy log (appengine's and the agents', stored as they wrote
// them, in English) shown in the reader's language; build tools' output (git, npm, pip, the
// app's own lines) is left as it is. A line no pattern knows stays unchanged.
import { type MessageKey, t } from '../../common/i18n';

type Rule = readonly [RegExp, MessageKey, readonly string[]];

const RULES: readonly Rule[] = [
  [/^deploying (\S+) to (\S+) on (\S+)$/, 'log.deploying', ['app', 'mode', 'ip']],
  [/^(online|offline) (\S+) \((\w+)\), event (\S+)$/, 'log.job', ['kind', 'app', 'mode', 'event']],
  [/^building and running as user (\S+) \(uid (\d+)\)$/, 'log.as_user', ['user', 'uid']],
  [/^language (\S+) \((.*)\)$/, 'log.language', ['lang', 'why']],
  [/^no dependencies in package\.json: npm not needed$/, 'log.no_deps', []],
  [/^requirements unchanged: reusing virtualenv (\S+)$/, 'log.venv_reused', ['hash']],
  [/^starting app-(\S+) on (\S+)$/, 'log.starting', ['app', 'addr']],
  [/^(http:\/\/\S+) answered HTTP (\d+)$/, 'log.answered', ['url', 'status']],
  [/^(\/\S*) routed to (\S+)$/, 'log.routed', ['prefix', 'addr']],
  [/^restoring the previous version$/, 'log.restoring', []],
  [/^(\S+): route removed$/, 'log.route_removed', ['app']],
  [/^(\S+): files and user (\S+) removed$/, 'log.files_removed', ['app', 'user']],
  [/^app-(\S+): not known to supervisor$/, 'log.not_in_supervisor', ['app']],
  [/^Job Done$/, 'log.done', []],
  [/^Job Fail: the app did not become healthy within (\d+) s: (.*)$/, 'log.unhealthy', ['s', 'why']],
  [/^Job Fail: (.*)$/, 'log.fail', ['why']],
];

/** One line in the current language, if it is one of the platform's own. */
export function localizeLine(line: string): string {
  for (const [re, key, names] of RULES) {
    const m = re.exec(line);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((n, i) => {
      params[n] = m[i + 1]!;
    });
    if (key === 'log.unhealthy') return t('log.fail', { why: t(key, params) });
    return t(key, params);
  }
  return line;
}

/** A whole log, line by line. */
export function localizeLog(text: string): string {
  return text.split('\n').map(localizeLine).join('\n');
}
