import { describe, expect, it } from 'vitest';
import { runWith } from '../../common/i18n';
import { localizeLog } from './loglines';

// lines as appengine and the agent write them (platform/agent/jobs, runtime)
const LOG = `deploying demo to test on 10.0.0.5
online demo (test), event 0b6f
building and running as user tabul-demo (uid 999)
git clone git://10.0.0.9/demo.git
language nodejs (package.json found)
no dependencies in package.json: npm not needed
starting app-demo on 127.0.0.1:9001
http://127.0.0.1:9001/t/demo/ answered HTTP 200
/t/demo/ routed to 127.0.0.1:9001
[app] listening
Job Done`;

const en = (s: string) => runWith({ lang: 'en', timeZone: 'UTC' }, () => localizeLog(s));
const zh = (s: string) => runWith({ lang: 'zh-CN', timeZone: 'UTC' }, () => localizeLog(s));

describe('deploy log lines', () => {
  it('reads in English exactly as written', () => {
    const fail = 'Job Fail: the app did not become healthy within 30 s: supervisor reports the app FATAL';
    expect(en(LOG)).toBe(LOG);
    expect(en(fail)).toBe(fail);
    expect(en('restoring the previous version\ndemo: route removed')).toBe(
      'restoring the previous version\ndemo: route removed',
    );
  });
  it('shows the platform lines in Chinese and leaves tool and app output alone', () => {
    expect(zh(LOG).split('\n')).toEqual([
      '正在把 demo 部署到 test（10.0.0.5）',
      'online demo（test），事件 0b6f',
      '以用户 tabul-demo（uid 999）构建并运行',
      'git clone git://10.0.0.9/demo.git',
      '开发语言 nodejs（package.json found）',
      'package.json 中没有依赖：无需 npm',
      '正在启动 app-demo（127.0.0.1:9001）',
      'http://127.0.0.1:9001/t/demo/ 返回 HTTP 200',
      '/t/demo/ 已转发到 127.0.0.1:9001',
      '[app] listening',
      'Job Done（任务完成）',
    ]);
    expect(zh('Job Fail: the app did not become healthy within 30 s: x')).toBe(
      'Job Fail（任务失败）：应用在 30 秒内未能正常响应：x',
    );
    expect(zh('Job Fail: disk full')).toBe('Job Fail（任务失败）：disk full');
  });
});
