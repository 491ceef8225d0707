/**
 * The black list (manual 4.12): disabled, up to 50 keys (programmer) or up to 500 keys (black-list
 * key or Maxi Key). Adding past the capacity is refused with a typed error, never silently dropped.
 */
export type BlackListMode = "disabled" | 50 | 500;

export class BlackListFull extends Error {
  override readonly name = "BlackListFull";
  readonly code = "BLACK_LIST_FULL";
  constructor(readonly capacity: number) {
    super(`the black list holds at most ${capacity} keys`);
  }
}

export class BlackList {
  private readonly keys = new Set<number>();

  constructor(readonly mode: BlackListMode) {}

  get capacity(): number {
    return this.mode === "disabled" ? 0 : this.mode;
  }

  add(keyNumber: number): void {
    if (this.keys.has(keyNumber)) return;
    if (this.keys.size >= this.capacity) throw new BlackListFull(this.capacity);
    this.keys.add(keyNumber);
  }

  remove(keyNumber: number): boolean {
    return this.keys.delete(keyNumber);
  }

  /** The set `checkAccess` reads: empty while the list is disabled. */
  get active(): ReadonlySet<number> {
    return this.mode === "disabled" ? new Set() : this.keys;
  }

  get size(): number {
    return this.keys.size;
  }
}
