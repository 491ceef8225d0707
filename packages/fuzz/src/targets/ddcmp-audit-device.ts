/**
 * A collector's DDCMP messages into the EVA-DTS audit device. Beyond the machine rules: the device
 * says `collected` (period data may be cleared: the reference device clears on it) only after
 * every byte of list 1 went out in its blocks and the collector acknowledged the message that
 * carried the last of them; and a session that began ends by the device's own timers once the
 * collector is silent.
 */
import { AuditDevice, type AuditDeviceEvent, decodeApp, MessageParser } from "@vendkit/ddcmp";
import { ddcmpFrame } from "../ddcmp-frames.js";
import { driveMachine, finding, SESSION_RUN_OUT } from "../harness.js";

/** An audit whose blocks all differ, so a block sent twice is known as a resend. */
const AUDIT = new TextEncoder().encode(
  Array.from({ length: 40 }, (_, k) => `PA1*${String(k).padStart(3, "0")}*120*BEVANDA ${k}\r\n`).join(""),
);

export function fuzz(data: Uint8Array): void {
  const options = data[0] ?? 0;
  const device = new AuditDevice(
    {
      maxBaudCode: options & 0x07,
      checkCodes: (options & 0x08) !== 0,
      securityCode: options & 0x08 ? 1234 : 0,
      selectFlag: (options & 0x10) !== 0,
      blockSize: 64 + (options & 0x60),
      storeCodesOnFirstUse: (options & 0x80) !== 0,
    },
    (list) => (list === 1 ? AUDIT : list === 64 ? AUDIT.subarray(0, 10) : undefined),
  );
  const parser = new MessageParser();
  const heard = new MessageParser();
  /** The DDCMP number of the message that completed list 1, and whether the collector acked it. */
  let last: { num: number; acked: boolean } | undefined;
  /** List 1's blocks as they went out, each once, by block number. */
  const blocks = new Map<number, Uint8Array>();
  let list: number | undefined;
  let began = false;
  driveMachine(
    device,
    {
      bits: 8,
      runOut: SESSION_RUN_OUT,
      frame: ddcmpFrame,
      received: (units) => {
        for (const msg of heard.push(units))
          if ((msg.kind === "ack" || msg.kind === "data") && last !== undefined && msg.resp === last.num)
            last.acked = true;
      },
      check: (m, step) => {
        for (const msg of parser.push(step.send)) {
          if (msg.kind !== "data") continue;
          let app: ReturnType<typeof decodeApp> | undefined;
          try {
            app = decodeApp(msg.data);
          } catch {
            finding("the device sent a data message that is no EVA-DTS application message");
          }
          if (app.kind === "read-data-accepted") {
            list = app.list;
            if (list === 1) blocks.clear();
          }
          if (app.kind === "block" && list === 1 && !blocks.has(app.number)) {
            blocks.set(app.number, Uint8Array.from(app.data));
            const size = [...blocks.values()].reduce((n, b) => n + b.length, 0);
            if (size >= AUDIT.length) last = { num: msg.num, acked: false };
          }
        }
        if (!m.waiting) began = true;
        for (const e of step.events as AuditDeviceEvent[]) {
          if (e.type !== "collected") continue;
          const whole = [...blocks.values()].flatMap((b) => [...b]);
          if (whole.length !== AUDIT.length || whole.some((b, k) => b !== AUDIT[k]))
            finding(`collected after ${whole.length} of the audit's ${AUDIT.length} bytes went out`);
          if (!last?.acked) finding("collected before the collector acknowledged the audit's last block");
        }
      },
      end: (m) => {
        if (began && !m.finished) finding("a session began, the collector fell silent, and it never ended");
      },
    },
    data.subarray(1),
  );
}
