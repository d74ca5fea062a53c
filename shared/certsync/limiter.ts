/**
 * A counting semaphore. One instance per process bounds the requests this instance makes to a certification
 * source, however many partner syncs the queue trigger runs at once.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private peak = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** The most requests in flight at once since start (for logs and the benchmark). */
  get maxObserved(): number {
    return this.peak;
  }

  get inFlight(): number {
    return this.active;
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `active` never dips and lets a newcomer jump the queue.
    if (next) next();
    else this.active--;
  }
}

const limiters = new Map<string, Semaphore>();

/** The process-wide limiter for one source (keyed by name), created with the configured concurrency. */
export function sourceLimiter(name: string, concurrency: number): Semaphore {
  let l = limiters.get(name);
  if (!l || l.limit !== concurrency) {
    l = new Semaphore(concurrency);
    limiters.set(name, l);
  }
  return l;
}
