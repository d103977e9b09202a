import type { AgentConfig } from '../config';

/** Lines of a job, streamed to appengine as event log chunks. */
export interface JobLog {
  /** One line for the event log (secrets are masked first). */
  line(text: string): void;
  /**
   * Post what is left and the final line: `Job Done` (SUCCESS) or `Job Fail: why` (FAILURE);
   * `extra` goes with the final post (the language a build found).
   */
  finish(ok: boolean, why?: string, extra?: Record<string, string>): Promise<void>;
}

type Post = (
  status: 'STARTED' | 'SUCCESS' | 'FAILURE',
  log: string,
  extra?: Record<string, string>,
) => Promise<void>;

/** Posts to `<controller>/v1/apps/<code>/events/<id>/` with the agent headers; 3 tries per chunk. */
export function eventPoster(cfg: AgentConfig, code: string, eventId: string): Post {
  const url = `${cfg.controllerUrl}/v1/apps/${encodeURIComponent(code)}/events/${encodeURIComponent(eventId)}/`;
  return async (status, log, extra) => {
    let last = '';
    for (let i = 0; i < 3; i++) {
      try {
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-id': cfg.sid, 'x-token': cfg.token },
          body: JSON.stringify({ ...extra, status, log }),
          signal: AbortSignal.timeout(5_000),
        });
        await r.text();
        if (r.ok || r.status === 409) return;
        last = `HTTP ${r.status}`;
        if (r.status < 500) break;
      } catch (e) {
        last = (e as Error).message;
      }
      await new Promise((res) => setTimeout(res, 300 * (i + 1)));
    }
    console.error(`agent: could not post the log of event ${eventId} to ${url}: ${last}`);
  };
}

/**
 * A JobLog that masks `secrets`, batches lines (one post per ~200 ms, in order) and ends with the
 * final line, so the event's last status is decided by the job's end alone (reference §5.2).
 */
export function jobLog(post: Post, secrets: readonly string[], echo: (l: string) => void = () => {}): JobLog {
  const masks = secrets.filter((s) => s.length >= 4).flatMap((s) => [s, encodeURIComponent(s)]);
  const mask = (t: string) => masks.reduce((acc, s) => acc.split(s).join('***'), t);
  let pending: string[] = [];
  let chain = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (pending.length === 0) return;
    const chunk = pending.join('\n');
    pending = [];
    chain = chain.then(() => post('STARTED', chunk));
  };
  return {
    line(text) {
      for (const l of mask(text).split(/\r?\n/)) {
        echo(l);
        pending.push(l);
      }
      timer ??= setTimeout(flush, 200);
    },
    async finish(ok, why, extra) {
      if (timer) clearTimeout(timer);
      flush();
      const last = ok ? 'Job Done' : `Job Fail: ${mask(why ?? 'unknown error')}`;
      echo(last);
      chain = chain.then(() => post(ok ? 'SUCCESS' : 'FAILURE', last, extra));
      await chain;
    },
  };
}
