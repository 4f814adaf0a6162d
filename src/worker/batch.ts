/**
 * Collects items and hands them on in batches, in order: when `maxItems` are pending, or when the
 * oldest pending one has waited `intervalMs`. A synchronous job (the SCYFI search) blocks the
 * thread's timers, so the age is also checked on every add and on every tick() (the job context
 * ticks whenever the job polls for cancellation); the timer covers jobs that await.
 */
export class Batcher<T> {
  private pending: T[] = [];
  private since = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (items: T[]) => void,
    private readonly intervalMs = 50,
    private readonly maxItems = 256,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.pending.length === 1) {
      this.since = performance.now();
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
    }
    if (this.pending.length >= this.maxItems) this.flush();
    else this.tick();
  }

  /** Flushes when the oldest pending item has waited the interval. */
  tick(): void {
    if (this.pending.length > 0 && performance.now() - this.since >= this.intervalMs) this.flush();
  }

  /** Sends what is pending now (nothing when nothing is). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.send(items);
  }
}
