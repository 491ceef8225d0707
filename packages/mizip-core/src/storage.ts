/**
 * The non-volatile memory port. Every state change that must survive a power cut goes through
 * `commit`, which writes several records atomically: after a cut, either all of them or none are
 * there. The reference device backs it with SQLite; `MemoryStorage` is the in-memory one, with an
 * injectable power cut for tests.
 */
export interface Storage {
  get(key: string): Uint8Array | undefined;
  /** Writes all records or none. A record set to undefined is deleted. */
  commit(records: ReadonlyMap<string, Uint8Array | undefined>): void;
  keys(prefix?: string): string[];
}

export class PowerCut extends Error {
  override readonly name = "PowerCut";
  readonly code = "POWER_CUT";
  constructor() {
    super("power was cut during the commit; nothing of it was kept");
  }
}

export class MemoryStorage implements Storage {
  private readonly data = new Map<string, Uint8Array>();
  private cutNext = false;
  /** Commits made since the storage was created. */
  commits = 0;

  /** The next commit is cut: it throws PowerCut and changes nothing. */
  cutPowerOnNextCommit(): void {
    this.cutNext = true;
  }

  get(key: string): Uint8Array | undefined {
    const v = this.data.get(key);
    return v === undefined ? undefined : v.slice();
  }

  commit(records: ReadonlyMap<string, Uint8Array | undefined>): void {
    if (this.cutNext) {
      this.cutNext = false;
      throw new PowerCut();
    }
    for (const [k, v] of records) {
      if (v === undefined) this.data.delete(k);
      else this.data.set(k, v.slice());
    }
    this.commits++;
  }

  keys(prefix = ""): string[] {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}
