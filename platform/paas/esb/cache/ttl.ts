/**
 * A small in-memory cache with a time-to-live, a size bound and in-flight de-duplication: many
 * concurrent misses for one key cause a single `load`. A failed load is not cached.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached value when still fresh, else undefined (no load). */
  peek(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until > Date.now()) return e.value;
    this.entries.delete(key);
    return undefined;
  }

  /** The fresh cached value, or the result of `load` (stored when `keep(value)` says so). */
  async get(key: string, load: () => Promise<V>, keep: (v: V) => boolean = () => true): Promise<V> {
    const hit = this.peek(key);
    if (hit !== undefined) return hit;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const gen = this.generation;
    const p = load()
      .then((value) => {
        // a load that began before a forget() may hold what was forgotten: answer it, don't keep it
        if (this.ttlMs > 0 && keep(value) && gen === this.generation) this.set(key, value);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, p);
    return p;
  }

  /** Drop `key` (or everything): the next get loads afresh, in-flight loads are not kept. */
  forget(key?: string): void {
    this.generation++;
    if (key === undefined) {
      this.entries.clear();
      this.loading.clear();
    } else {
      this.entries.delete(key);
      this.loading.delete(key);
    }
  }

  private set(key: string, value: V): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
  }
}
