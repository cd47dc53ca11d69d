import type { Logger } from '../log/logger.js';

/**
 * Progress of a backlog (thousands of mails after a restart, a reprocess run): a log line with
 * done/total, rate and an estimate, at most every `everyMs`, plus one at the end.
 */
export class Progress {
  private total = 0;
  private done = 0;
  private readonly started = Date.now();
  private lastLine = 0;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    private readonly everyMs = 10_000,
  ) {}

  /** `n` items are waiting now (on top of those done): the source's latest count of its backlog. */
  waiting(n: number): void {
    this.total = this.done + n;
  }

  /** One item finished with the given outcome label (stored, already_seen, failed, …). */
  tick(label: string): void {
    this.done++;
    if (this.done > this.total) this.total = this.done;
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    const now = Date.now();
    // Quiet when there is no backlog: one mail now and then needs no progress line.
    if (now - this.lastLine >= this.everyMs && (this.total > this.done || this.done % 100 === 0)) {
      this.lastLine = now;
      this.line('progress');
    }
  }

  finish(): void {
    if (this.done > 0) this.line('finished');
  }

  snapshot(): { done: number; total: number; perMinute: number; counts: Record<string, number> } {
    const minutes = Math.max((Date.now() - this.started) / 60_000, 1e-9);
    return {
      done: this.done,
      total: this.total,
      perMinute: Math.round((this.done / minutes) * 10) / 10,
      counts: Object.fromEntries(this.counts),
    };
  }

  private line(msg: string): void {
    const s = this.snapshot();
    const left = Math.max(this.total - this.done, 0);
    const etaMinutes = s.perMinute > 0 ? Math.round((left / s.perMinute) * 10) / 10 : null;
    this.logger.info(
      { what: this.what, done: s.done, total: s.total, perMinute: s.perMinute, etaMinutes, ...s.counts },
      `${this.what} ${msg}: ${s.done}/${s.total} (${s.perMinute}/min)`,
    );
  }
}
