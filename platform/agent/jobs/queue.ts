import type { AgentConfig } from '../config';
import { offline } from './offline';
import { online } from './online';
import { eventPoster, type JobLog, jobLog } from './reporter';
import type { JobRequest } from './request';

type Post = ReturnType<typeof eventPoster>;

/**
 * Runs jobs in the background, one at a time per app (a second deploy of the same app waits for
 * the first), each bounded by `jobTimeoutSec`, each ending with `Job Done` or `Job Fail: …`.
 */
export class JobRunner {
  private readonly tails = new Map<string, Promise<void>>();
  constructor(
    private readonly cfg: AgentConfig,
    private readonly poster: (code: string, eventId: string) => Post = (c, e) => eventPoster(cfg, c, e),
  ) {}

  /** Queue a job; resolves when it has finished (callers answering HTTP do not wait). */
  submit(kind: 'online' | 'offline', job: JobRequest): Promise<void> {
    const prev = this.tails.get(job.app_code) ?? Promise.resolve();
    const next = prev.then(() => this.run(kind, job));
    this.tails.set(job.app_code, next);
    void next.finally(() => {
      if (this.tails.get(job.app_code) === next) this.tails.delete(job.app_code);
    });
    return next;
  }

  /** Wait for every queued job (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }

  private async run(kind: 'online' | 'offline', job: JobRequest): Promise<void> {
    const secrets = [
      job.envs.APP_TOKEN,
      job.envs.DB_PASSWORD,
      brokerPassword(job.envs.BK_BROKER_URL),
      job.source?.kind === 'git' ? job.source.password : undefined,
    ].filter((s): s is string => Boolean(s));
    const log: JobLog = jobLog(this.poster(job.app_code, job.event_id), secrets, (l) =>
      console.log(`[${job.app_code} ${kind}] ${l}`),
    );
    const signal = AbortSignal.timeout(this.cfg.jobTimeoutSec * 1000);
    log.line(`${kind} ${job.app_code} (${job.mode}), event ${job.event_id}`);
    try {
      if (kind === 'online')
        await log.finish(true, undefined, { app_lang: await online(this.cfg, job, log, signal) });
      else {
        await offline(this.cfg, job, log, signal);
        await log.finish(true);
      }
    } catch (e) {
      const why = signal.aborted
        ? `timed out after ${this.cfg.jobTimeoutSec} s: ${(e as Error).message}`
        : (e as Error).message;
      await log.finish(false, why);
    }
  }
}

/** The password in a broker URL (`redis://user:password@host…`), to mask it in job logs. */
function brokerPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
