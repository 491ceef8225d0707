import { crc32 } from "@vendkit/mifare-purse";
import { S } from "./counters.js";
import { decodeJson, encodeJson } from "./json-record.js";
import type { Storage } from "./storage.js";

/**
 * The statistics store (MiZip Plus manual 7, 4.10.8): counters named by their S-number ("S1",
 * "S290", ...) or error code ("E8") kept twice, as period data (cleared by a collection) and historic data (cleared
 * only on purpose, e.g. after a price change). Every update is a set of records to commit with
 * the key write of the sale it describes, so a counter never moves without its sale.
 *
 * The whole store is one record followed by its CRC-32: a record that does not match is an
 * integrity fault, which with check audit ON locks the reader (4 red + 1 green) until a
 * collection followed by a reset of historic data (manual 5.1, 4.10.8).
 */
export type Counters = Readonly<Record<string, number>>;

export interface Collection {
  /** When the collection was taken (wall-clock milliseconds). */
  readonly at: number;
  readonly period: Counters;
  readonly historic: Counters;
  /** The data failed its integrity check; what could be read is given. */
  readonly damaged: boolean;
  /** When the collection before this one was confirmed, if one was (EA305/EA306). */
  readonly previous?: number;
}

/** The data as it stands, as a collection taken at `now`. */
function asCollection(state: State, intact: boolean, now: number): Collection {
  return {
    at: now,
    period: state.period,
    historic: state.historic,
    damaged: !intact,
    ...(state.lastCollection === undefined ? {} : { previous: state.lastCollection }),
  };
}

export class CollectionRefused extends Error {
  constructor(
    readonly code: "COLLECTION_TOO_SOON" | "NOTHING_TO_CONFIRM" | "NO_PREVIOUS_COLLECTION",
    message: string,
  ) {
    super(message);
    this.name = "CollectionRefused";
  }
}

/** Manual 7: a second collection within 2 minutes of the last one fails. */
export const MIN_COLLECTION_INTERVAL = 2 * 60 * 1000;

const STATS = "stats/current";
const LAST = "stats/last-collection";
/** S-numbers, the error counters E1..E16 and vendkit's own V counters (see counters.ts). */
const COUNTER =
  /^(S\d{1,4}|E([1-9]|1[0-6])|V\d{1,2}|P(100|[1-9]\d?)\.(20[1256]|40[12])|L[0-6]\.[1-9]\d{0,2}|M([1-9]|1[0-6])\.(in|box|tubes))$/;

interface State {
  period: Record<string, number>;
  historic: Record<string, number>;
  /** Time of the last confirmed collection. */
  lastCollection?: number;
  /** A collection taken and not yet confirmed. */
  pending?: number;
  /** An integrity fault was collected but historic data not yet reset: still locked. */
  fault?: boolean;
}

/** Seals `state`; a store read as damaged stays marked so, however it is rewritten. */
function reseal(state: State, intact: boolean): Uint8Array {
  return seal({ ...state, fault: !intact || undefined });
}

function seal(state: State): Uint8Array {
  const body = encodeJson(state);
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body));
  return out;
}

const isCounters = (v: unknown): v is Record<string, number> =>
  typeof v === "object" &&
  v !== null &&
  Object.entries(v).every(([k, n]) => COUNTER.test(k) && Number.isSafeInteger(n) && (n as number) >= 0);

/** Reads a sealed record: the state and whether it passed its checks. */
function unseal(bytes: Uint8Array | undefined): { state: State; intact: boolean } {
  const empty: State = { period: {}, historic: {} };
  if (bytes === undefined) return { state: empty, intact: true };
  if (bytes.length < 4) return { state: empty, intact: false };
  const body = bytes.subarray(0, bytes.length - 4);
  const sum = new DataView(bytes.buffer, bytes.byteOffset + body.length, 4).getUint32(0);
  const parsed = decodeJson(body);
  if (parsed === undefined) return { state: empty, intact: false };
  const p = parsed as Partial<State> | null;
  const state: State = {
    period: isCounters(p?.period) ? p.period : {},
    historic: isCounters(p?.historic) ? p.historic : {},
    lastCollection: Number.isSafeInteger(p?.lastCollection) ? p?.lastCollection : undefined,
    pending: Number.isSafeInteger(p?.pending) ? p?.pending : undefined,
    fault: p?.fault === true ? true : undefined,
  };
  const intact = sum === crc32(body) && isCounters(p?.period) && isCounters(p?.historic) && p?.fault !== true;
  return { state, intact };
}

export class Statistics {
  constructor(private readonly storage: Storage) {}

  private read() {
    return unseal(this.storage.get(STATS));
  }

  /** False when the stored statistics fail their integrity check. */
  get intact(): boolean {
    return this.read().intact;
  }

  /** Period and historic value of one counter. */
  get(counter: string): { period: number; historic: number } {
    const { state } = this.read();
    return { period: state.period[counter] ?? 0, historic: state.historic[counter] ?? 0 };
  }

  /**
   * The records that add `deltas` to both period and historic counters, to commit together
   * with the key write of the sale or recharge they count. Refuses unknown names, negative or
   * fractional amounts (a counter only grows between collections).
   */
  prepareAdd(deltas: Counters): Map<string, Uint8Array> {
    for (const [name, n] of Object.entries(deltas))
      if (!COUNTER.test(name) || !Number.isSafeInteger(n) || n < 0)
        throw new RangeError(
          `counter ${name} cannot grow by ${n}: names are S-numbers, E1..E16, V-numbers, P<line>.<element>, L<list>.<n> or M<type>.<in|box|tubes>, amounts whole and ≥ 0`,
        );
    const { state, intact } = this.read();
    const add = (into: Record<string, number>) => {
      const out = { ...into };
      for (const [name, n] of Object.entries(deltas)) out[name] = (out[name] ?? 0) + n;
      return out;
    };
    return new Map([
      [STATS, reseal({ ...state, period: add(state.period), historic: add(state.historic) }, intact)],
    ]);
  }

  add(deltas: Counters): void {
    this.storage.commit(this.prepareAdd(deltas));
  }

  /**
   * Takes a collection: the data as it stands, without clearing anything until `confirm`.
   * Refused within 2 minutes of the last confirmed collection.
   */
  collect(now: number): Collection {
    const { state, intact } = this.read();
    if (state.lastCollection !== undefined && now - state.lastCollection < MIN_COLLECTION_INTERVAL)
      throw new CollectionRefused(
        "COLLECTION_TOO_SOON",
        `the last collection was ${Math.round((now - state.lastCollection) / 1000)} s ago; wait 2 minutes`,
      );
    this.storage.commit(new Map([[STATS, reseal({ ...state, pending: now }, intact)]]));
    return asCollection(state, intact, now);
  }

  /**
   * A security read (EVA-DTS list 2): the data as it stands, read only. Nothing is marked for a
   * reset, so the 2-minute rule between collections does not apply.
   */
  snapshot(now: number): Collection {
    const { state, intact } = this.read();
    return asCollection(state, intact, now);
  }

  /**
   * The collector confirms it has the data: period counters are cleared, historic ones kept,
   * and the collection is kept for a backup re-read. Counts added since `collect` are kept in
   * the new period rather than lost.
   */
  confirm(collection: Collection): void {
    const { state, intact } = this.read();
    if (state.pending !== collection.at)
      throw new CollectionRefused("NOTHING_TO_CONFIRM", "no collection taken at that time is waiting");
    const period: Record<string, number> = {};
    for (const [name, n] of Object.entries(state.period)) {
      const rest = n - (collection.period[name] ?? 0);
      if (rest > 0) period[name] = rest;
    }
    // manual 5.1: a fault stays until the historic data is reset too; PROGRESSIVO ACQ. (S47,
    // 9.4.2) counts the collections followed by a reset
    const next: State = {
      period,
      historic: { ...state.historic, [S.collections]: (state.historic[S.collections] ?? 0) + 1 },
      lastCollection: collection.at,
    };
    this.storage.commit(
      new Map([
        [STATS, reseal(next, intact)],
        [
          LAST,
          seal({ period: collection.period, historic: collection.historic, lastCollection: collection.at }),
        ],
      ]),
    );
  }

  /** Backup mode (manual 7.2): the last confirmed collection again, touching nothing. */
  backup(): Collection {
    const bytes = this.storage.get(LAST);
    if (bytes === undefined)
      throw new CollectionRefused("NO_PREVIOUS_COLLECTION", "no collection has been confirmed yet");
    const { state, intact } = unseal(bytes);
    return {
      at: state.lastCollection ?? 0,
      period: state.period,
      historic: state.historic,
      damaged: !intact,
    };
  }

  /**
   * Clears historic data (after a price, coin/bill value, changer type or machine code change,
   * manual 7; or to unlock check audit after a collection, 4.10.8). Leaves a fresh, intact
   * record, keeping the period data when it is readable.
   */
  resetHistoric(): void {
    const { state, intact } = this.read();
    this.storage.commit(
      new Map([
        [
          STATS,
          seal({ period: intact ? state.period : {}, historic: {}, lastCollection: state.lastCollection }),
        ],
      ]),
    );
  }
}
