import { readFileSync, writeFileSync } from "node:fs";
import type { Duplex } from "node:stream";
import { DexCollector, DexDevice, type DexEvent } from "@vendkit/evadts/dex";
import { AuditCollector, type AuditCollectorEvent } from "./audit-collector.js";
import { AuditDevice, type AuditDeviceEvent } from "./audit-device.js";
import { baudCode, START_BAUD } from "./eva-profile.js";
import { Progress } from "./progress.js";
import { runOverStream } from "./run.js";
import { accept, closeStream, connect } from "./transport.js";

const USAGE = `usage:
  ddcmp collect --port <path|tcp://host:port> --link ddcmp|dex --out <file> [options]
  ddcmp serve   --port <path|tcp://host:port> --link ddcmp|dex --file <audit file> [options]

collect reads an audit from a machine (the collector end); serve answers a collector with a file
(the device end). Progress goes to standard error: bytes, blocks, rate and time left.
  --link ddcmp     EVA-DTS over DDCMP: starts at 2400 baud and agrees the rate up to --baud-max
  --link dex       DEX/UCS at --baud (default 9600)
  --baud-max N     ddcmp: the highest rate to agree (default 115200); on TCP and on a pty the
                   change is made at protocol level only
  --keep-corrupt   collect: when the audit fails its check or the transfer breaks off, write what
                   arrived to <out>.corrupt (the exit code still says it failed)
  --list N         ddcmp collect: the list to read (1 audit collection, 2 security read)
  --security-code N, --pass-code N
                   ddcmp: the codes the collector sends; with serve --check-codes, the ones the
                   device requires
  --id ID          the communication ID (dex)
  --dex-master     dex serve: the device opens the first handshake itself, as coin mechanisms and
                   older controllers do (the collector lets it through)`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function numberOption(args: string[], name: string, fallback: number): number {
  const v = option(args, name);
  return v === undefined ? fallback : Number(v);
}

/** Follows a rate change on a serial port; on a socket it is a protocol-level change only. */
function follow(stream: Duplex, baud: number): void {
  const port = stream as Duplex & {
    update?: (o: { baudRate: number }, cb?: (e?: Error | null) => void) => void;
  };
  if (typeof port.update === "function") port.update({ baudRate: baud });
  process.stderr.write(
    `rate ${baud} baud${typeof port.update === "function" ? "" : " (protocol level: this stream has no line rate)"}\n`,
  );
}

function keep(out: string, data: Uint8Array | undefined, args: string[]): void {
  if (!args.includes("--keep-corrupt") || data === undefined) return;
  writeFileSync(`${out}.corrupt`, data);
  process.stderr.write(`kept ${data.length} damaged bytes in ${out}.corrupt\n`);
}

async function collectDdcmp(args: string[], port: string, out: string): Promise<number> {
  const maxBaud = numberOption(args, "baud-max", 115200);
  const stream = await connect({ port, baud: START_BAUD });
  const progress = new Progress((line) => process.stderr.write(`${line}\n`));
  const collector = new AuditCollector({
    maxBaudCode: baudCode(maxBaud),
    lists: [numberOption(args, "list", 1)],
    securityCode: numberOption(args, "security-code", 0),
    passCode: numberOption(args, "pass-code", 0),
  });
  const events = await runOverStream<AuditCollectorEvent>(
    collector,
    stream,
    collector.start(performance.now()),
    {
      onEvent: (e) => {
        if (e.type === "link" && e.event.type === "baud") follow(stream, e.event.baud);
        else if (e.type === "identified")
          process.stderr.write(`device serial ${JSON.stringify(e.device.serial)}\n`);
        else if (e.type === "progress") progress.update(e.done, e.total, e.blocks);
        else if (e.type === "failed") process.stderr.write(`failed: ${e.reason}: ${e.detail}\n`);
      },
    },
  );
  closeStream(stream);
  const received = events.find((e) => e.type === "received");
  if (received?.type !== "received") {
    const failed = events.find((e) => e.type === "failed");
    keep(out, failed?.type === "failed" ? failed.received : undefined, args);
    return 1;
  }
  const data = received.lists[0]?.data ?? new Uint8Array(0);
  writeFileSync(out, data);
  process.stderr.write(
    `wrote ${data.length} bytes to ${out}${received.confirmed ? "" : " (the device did not acknowledge FINISH: it has not reset)"}\n`,
  );
  return 0;
}

async function serveDdcmp(args: string[], port: string, audit: Uint8Array): Promise<number> {
  const { stream, close } = await accept({ port, baud: START_BAUD });
  const progress = new Progress((line) => process.stderr.write(`${line}\n`));
  const device = new AuditDevice(
    {
      maxBaudCode: baudCode(numberOption(args, "baud-max", 115200)),
      checkCodes: args.includes("--check-codes"),
      securityCode: numberOption(args, "security-code", 0),
      passCode: numberOption(args, "pass-code", 0),
    },
    (list) => (list === 1 || list === 2 ? audit : undefined),
  );
  const events = await runOverStream<AuditDeviceEvent>(device, stream, undefined, {
    onEvent: (e) => {
      if (e.type === "link" && e.event.type === "baud") follow(stream, e.event.baud);
      else if (e.type === "progress") progress.update(e.done, e.total, e.blocks);
      else if (e.type === "refused") process.stderr.write(`refused: ${e.detail}\n`);
      else if (e.type === "collected") process.stderr.write("collected\n");
      else if (e.type === "failed") process.stderr.write(`failed: ${e.reason}: ${e.detail}\n`);
    },
  });
  close();
  return events.some((e) => e.type === "ended" && e.collected) ? 0 : 1;
}

async function main(args: string[]): Promise<number> {
  const [command] = args;
  const port = option(args, "port");
  const link = option(args, "link") ?? "dex";
  const baud = Number(option(args, "baud") ?? 9600);
  const out = option(args, "out");
  const file = option(args, "file");
  if (
    (command !== "collect" && command !== "serve") ||
    !port ||
    (link !== "dex" && link !== "ddcmp") ||
    !Number.isInteger(baud) ||
    (command === "collect" && !out) ||
    (command === "serve" && !file)
  ) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (link === "ddcmp") {
    const maxBaud = numberOption(args, "baud-max", 115200);
    if (baudCode(maxBaud) === 0) {
      process.stderr.write(`--baud-max ${maxBaud}: one of 1200, 2400, ... 115200\n${USAGE}\n`);
      return 2;
    }
    return command === "collect"
      ? collectDdcmp(args, port, out as string)
      : serveDdcmp(args, port, new Uint8Array(readFileSync(file as string)));
  }
  const progress = new Progress((line) => process.stderr.write(`${line}\n`));
  const report = (e: DexEvent) => {
    if (e.type === "progress") progress.update(e.done, e.total);
    else if (e.type === "handshake")
      process.stderr.write(`handshake with ${e.communicationId} (${e.revision}, ${e.detail})\n`);
    else if (e.type === "failed") process.stderr.write(`failed: ${e.reason}: ${e.detail}\n`);
    else if (e.type === "collected") process.stderr.write("collected\n");
    else if (e.type === "received" && !e.eot)
      process.stderr.write("the last block was acknowledged but no EOT came: the audit is complete\n");
  };
  if (command === "collect") {
    const stream = await connect({ port, baud });
    const collector = new DexCollector({ communicationId: option(args, "id") ?? "VKTCOLLECT" });
    const events = await runOverStream(collector, stream, collector.start(performance.now()), {
      onEvent: report,
    });
    closeStream(stream);
    const received = events.find((e) => e.type === "received");
    if (received?.type !== "received") {
      const failed = events.find((e) => e.type === "failed");
      keep(out as string, failed?.type === "failed" ? failed.received : undefined, args);
      return 1;
    }
    writeFileSync(out as string, received.data);
    process.stderr.write(`wrote ${received.data.length} bytes to ${out}\n`);
    return 0;
  }
  const audit = new Uint8Array(readFileSync(file as string));
  const { stream, close } = await accept({ port, baud });
  const device = new DexDevice(
    {
      communicationId: option(args, "id") ?? "VKTDEVICE1",
      firstHandshake: args.includes("--dex-master") ? "master" : "slave",
    },
    () => audit,
  );
  const events = await runOverStream(device, stream, device.start(performance.now()), { onEvent: report });
  close();
  return events.some((e) => e.type === "collected") ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`ddcmp: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
