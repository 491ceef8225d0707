/**
 * A collector's DEX/UCS bytes into the device end (both first-handshake roles). Beyond the machine
 * rules: the device says `collected` (the reference device clears the period data on it) only
 * after every byte of its audit went out in data blocks and an ACK came back after the last.
 */
import { DEFAULT_DEX_TIMING, DexDevice, type DexEvent, DexFrameParser } from "@vendkit/evadts/dex";
import { dexFrame } from "../dex-frames.js";
import { driveMachine, finding, SESSION_RUN_OUT } from "../harness.js";

const AUDIT = new TextEncoder().encode(
  Array.from({ length: 12 }, (_, k) => `PA1*${String(k).padStart(3, "0")}*120*BEVANDA ${k}\r\n`).join(""),
);

export function fuzz(data: Uint8Array): void {
  const options = data[0] ?? 0;
  const device = new DexDevice(
    {
      communicationId: "VKFUZZ0001",
      blockSize: 32 + (options & 0x3f),
      firstHandshake: options & 0x80 ? "master" : "slave",
    },
    () => AUDIT,
  );
  device.start();
  const parser = new DexFrameParser();
  const blocks: number[][] = [];
  /** The collector's frames as the device must read them: Timer B cuts a block whose bytes stop. */
  const heard = new DexFrameParser();
  let heardAt = 0;
  /** The last block went out; then whether its ACK (DLE 1 after an even block, DLE 0 after an odd one) came back. */
  let last: { parity: 0 | 1; acked: boolean } | undefined;
  driveMachine(
    device,
    {
      bits: 8,
      runOut: SESSION_RUN_OUT,
      frame: dexFrame,
      received: (units, now) => {
        if (now - heardAt > DEFAULT_DEX_TIMING.interCharTimeout) heard.abandon("Timer B");
        heardAt = now;
        for (const f of heard.push(units))
          if (f.kind === "ack" && last !== undefined && f.parity === last.parity) last.acked = true;
      },
      check: (_m, step) => {
        for (const f of parser.push(step.send)) {
          if (f.kind !== "block" || f.header) continue;
          const bytes = [...f.data];
          const previous = blocks[blocks.length - 1];
          if (
            previous === undefined ||
            previous.length !== bytes.length ||
            previous.some((b, k) => b !== bytes[k])
          )
            blocks.push(bytes);
          if (f.last) last = { parity: blocks.length % 2 === 1 ? 1 : 0, acked: false };
        }
        for (const e of step.events as DexEvent[]) {
          if (e.type !== "collected") continue;
          const whole = blocks.flat();
          if (whole.length !== AUDIT.length || whole.some((b, k) => b !== AUDIT[k]))
            finding(`collected after ${whole.length} of the audit's ${AUDIT.length} bytes went out`);
          if (!last?.acked) finding("collected with no ACK after the last block");
        }
      },
    },
    data.subarray(1),
  );
}
