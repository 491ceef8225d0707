import { SLICE } from "./crc16.js";
import { writeLatin1 } from "./latin1.js";
import { SCAN_KERNEL_WASM } from "./scan-kernel-wasm.js";

/**
 * What a segment's identifier is, as the scan kernel classifies it (scan-kernel.wat): the low
 * three bits of each entry of `kinds`. Bit 3 (TRAILING_BLANK) says the segment ends with a blank.
 */
export enum Kind {
  Bad = 0,
  Other = 1,
  DXS = 2,
  DXE = 3,
  ST = 4,
  SE = 5,
  G85 = 6,
}
export const KIND_MASK = 7;
export const TRAILING_BLANK = 8;

/** A segment identifier (2-4 characters) packed as the kernel packs it: first character highest. */
export function tagKey(tag: string): number {
  let key = 0;
  for (let k = 0; k < tag.length; k++) key = key * 256 + tag.charCodeAt(k);
  return key;
}

/** The lines of a file as the kernel found them, and the CRC over the file it loaded. */
export interface ScannedFile {
  readonly starts: Uint32Array;
  /** The length of each line's end: 2 CR LF, 1 LF or CR, 0 none (the last line only). */
  readonly eols: Uint8Array;
  readonly kinds: Uint8Array;
  /** Each line's identifier, packed by `tagKey`; 0 when it has none. */
  readonly keys: Uint32Array;
  readonly count: number;
  /** No byte of the file is 0x80 or more: its latin1 text is its ASCII (and UTF-8) text. */
  readonly ascii: boolean;
  /** Folds bytes `start..end` of the file into `crc`; valid until the next `scanFile`. */
  crc(crc: number, start: number, end: number): number;
}

interface KernelExports {
  count(base: number, n: number): number;
  scan(base: number, n: number, from: number, out: number, cap: number): number;
  resumeAt(): number;
  wide(): number;
  crc(crc: number, p: number, e: number): number;
}

/** The part of the WebAssembly API used here (Node 20's type definitions do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

const PAGE = 65536;
/** Lines handed back per call: starts and identifiers (4 bytes each), line ends and kinds (1 byte each). */
const BATCH = 16384;
/** The CRC's slicing tables (8 KB), nibble tables (192 bytes) and lanes (32 bytes). */
const OUT = 8192 + 256;
const BASE = OUT + BATCH * 10;
/** Files up to this size share one memory, kept; a larger one gets one that the collector may take. */
const SHARED_LIMIT = 4 * 1024 * 1024;

let compiled: object | undefined;

class Kernel {
  readonly memory: WasmMemory;
  readonly fn: KernelExports;

  constructor(size: number) {
    compiled ??= compile();
    this.memory = new wasm.Memory({ initial: pagesFor(size) });
    this.fn = new wasm.Instance(compiled, { env: { memory: this.memory } })
      .exports as unknown as KernelExports;
    // the sixteen tables as the module reads them: little-endian u16, table k at k * 512
    const view = new DataView(this.memory.buffer, 0, OUT);
    SLICE.forEach((table, k) => {
      for (let b = 0; b < 256; b++) view.setUint16(k * 512 + b * 2, table[b] as number, true);
    });
    // the nibble tables: a register followed by 16 zero bytes, by each of its four nibbles, each
    // as 16 low bytes, then 16 high bytes
    const byte = SLICE[0] as Uint16Array;
    for (let t = 0; t < 4; t++) {
      for (let x = 0; x < 16; x++) {
        let r = x << (4 * t);
        for (let k = 0; k < 16; k++) r = (r >>> 8) ^ (byte[r & 0xff] as number);
        view.setUint8(8192 + t * 32 + x, r & 0xff);
        view.setUint8(8192 + t * 32 + 16 + x, r >>> 8);
      }
    }
  }

  /** Room for a file of `size` bytes. */
  fit(size: number): void {
    const pages = pagesFor(size) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
  }
}

/** The module, or an error that says what the platform lacks (WebAssembly, or its SIMD). */
function compile(): object {
  const bytes = Uint8Array.from(atob(SCAN_KERNEL_WASM), (c) => c.charCodeAt(0));
  try {
    return new wasm.Module(bytes);
  } catch (e) {
    throw new Error(
      `@vendkit/evadts parses with WebAssembly and its SIMD instructions (Node 16.4+, current browsers), which this platform does not run: ${(e as Error).message}`,
    );
  }
}

const pagesFor = (size: number) => Math.ceil((BASE + size + 16) / PAGE);

/** The kernel for files up to SHARED_LIMIT, kept. */
let small: Kernel | undefined;
/**
 * The kernel for larger files, as large as the largest one so far: reused while the garbage
 * collector keeps it (a loop over big files pays for fresh pages once), released when it does.
 */
let large: WeakRef<Kernel> | undefined;

function kernelFor(size: number): Kernel {
  let kernel = size <= SHARED_LIMIT ? small : large?.deref();
  if (kernel === undefined) {
    kernel = new Kernel(size);
    if (size <= SHARED_LIMIT) small = kernel;
    else large = new WeakRef(kernel);
  }
  kernel.fit(size);
  return kernel;
}

/**
 * Loads a file (bytes, or a string of code units 0..255) into the kernel and finds its lines:
 * where each starts, how it ends (CR LF, LF, a lone CR or nothing) and what its identifier is.
 */
export function scanFile(input: Uint8Array | string): ScannedFile {
  const n = input.length;
  const kernel = kernelFor(n);
  const { fn, memory } = kernel;
  const file = new Uint8Array(memory.buffer, BASE, n + 16);
  if (typeof input === "string") writeLatin1(input, file);
  else file.set(input);
  // the SIMD loop reads whole 16-byte blocks: what follows the file must not look like a line end
  file.fill(0, n);

  // counted first, so that each array is allocated once at its exact size (10 bytes a line)
  const total = fn.count(BASE, n);
  const starts = new Uint32Array(total);
  const keys = new Uint32Array(total);
  const eols = new Uint8Array(total);
  const kinds = new Uint8Array(total);
  let count = 0;
  let from = 0;
  do {
    const got = fn.scan(BASE, n, from, OUT, BATCH);
    const out = memory.buffer;
    starts.set(new Uint32Array(out, OUT, got), count);
    keys.set(new Uint32Array(out, OUT + BATCH * 4, got), count);
    eols.set(new Uint8Array(out, OUT + BATCH * 8, got), count);
    kinds.set(new Uint8Array(out, OUT + BATCH * 9, got), count);
    count += got;
    from = fn.resumeAt();
  } while (from < n);
  return {
    starts,
    keys,
    eols,
    kinds,
    count,
    ascii: fn.wide() === 0,
    crc: (crc, start, end) => fn.crc(crc, BASE + start, BASE + end),
  };
}
