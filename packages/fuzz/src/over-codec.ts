import type { Machine, Step } from "@vendkit/machine";
import type { UnitCodec } from "@vendkit/machine/node";
import { finding, never } from "./harness.js";

/**
 * A word machine behind a byte codec (an adapter's framing), as one byte machine: what the
 * `Driver` does with a `UnitCodec`. The codec must turn any bytes into 9-bit words without
 * throwing.
 */
export function overCodec<E>(codec: UnitCodec, m: Machine<E, Uint16Array>): Machine<E, Uint8Array> {
  const out = (step: Step<E, Uint16Array>): Step<E, Uint8Array> => ({
    ...step,
    send: never("codec.encode", () => codec.encode(step.send)),
  });
  return {
    receive(bytes, now) {
      const words = never("codec.decode", () => codec.decode(Uint8Array.from(bytes)));
      for (let i = 0; i < words.length; i++) {
        const w = words[i] as number;
        if (!Number.isInteger(w) || w < 0 || w > 0x1ff) finding(`the codec decoded ${w}, not a 9-bit word`);
      }
      return out(m.receive(words, now));
    },
    tick: (now) => out(m.tick(now)),
  };
}
