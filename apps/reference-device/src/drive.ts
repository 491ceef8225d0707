import type { Device } from "./device.js";
import { CashRefused } from "./device-errors.js";

/** A small deterministic PRNG (mulberry32), so a drive can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Simulated customers, without end: keys in and out, coins onto keys and into the machine,
 * selections. Each completed operation is reported as a line. Used by the durability test,
 * which kills the process at a random moment.
 */
export async function drive(device: Device, seed: number, report: (line: string) => void): Promise<never> {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
  for (let n = 0; ; n++) {
    const r = next();
    if (r < 0.2) {
      const i = Math.floor(next() * device.keys.length);
      const outcome = await device.insertKey(i);
      report(`${n} insert ${i} ${outcome.ok ? "ok" : "refused"}`);
    } else if (r < 0.3) {
      await device.removeKey();
      report(`${n} remove`);
    } else if (r < 0.55) {
      const value = pick([10, 20, 50, 100]);
      try {
        await device.cash.coin(value);
        report(`${n} coin ${value}`);
      } catch (e) {
        // the acceptor gave it back (key full, enough credit for any sale...): no credit, nothing counted
        if (!(e instanceof CashRefused)) throw e;
        report(`${n} coin ${value} refused`);
      }
    } else {
      const item = 1 + Math.floor(next() * 5);
      const amount = await device.select(item);
      report(`${n} select ${item} ${amount ?? "refused"}`);
    }
  }
}
