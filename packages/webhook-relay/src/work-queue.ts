/**
 * Runs jobs with at most `concurrency` in flight. GitHub asks integrations to send mutating
 * requests serially (its secondary rate limits punish bursts), so the relay answers MLflow at once
 * and lets this queue pace the calls to GitHub.
 */
export class WorkQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  /** Jobs must not throw: a job reports its own failure. */
  push(job: () => Promise<void>): void {
    this.waiting.push(job);
    this.pump();
  }

  get pending(): number {
    return this.waiting.length + this.running;
  }

  /** Resolves once every job pushed so far has finished. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      void job().finally(() => {
        this.running--;
        this.pump();
        if (this.pending === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
    }
  }
}
