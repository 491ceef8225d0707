import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DexCollector, DexDevice, type DexEvent } from "@vendkit/evadts/dex";
import { localDateTime } from "./application.js";
import { AuditCollector, type AuditCollectorEvent } from "./audit-collector.js";
import { AuditDevice, type AuditDeviceEvent } from "./audit-device.js";
import { baudCode, START_BAUD } from "./eva-profile.js";
import { acceptLink, closeLink, openLink, runSession } from "./node.js";
import { Progress } from "./progress.js";

const USAGE = `usage:
  ddcmp --help
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

const OPTIONS = {
  port: { type: "string" },
  link: { type: "string" },
  baud: { type: "string" },
  "baud-max": { type: "string" },
  out: { type: "string" },
  file: { type: "string" },
  "keep-corrupt": { type: "boolean" },
  list: { type: "string" },
  "security-code": { type: "string" },
  "pass-code": { type: "string" },
  id: { type: "string" },
  "dex-master": { type: "boolean" },
  "check-codes": { type: "boolean" },
  help: { type: "boolean" },
} as const;
const NUMBERS = ["baud", "baud-max", "list", "security-code", "pass-code"] as const;

/** The command line, read once by `main`. */
let flags: Partial<Record<keyof typeof OPTIONS, string | boolean>> = {};

function option(name: keyof typeof OPTIONS): string | undefined {
  const v = flags[name];
  return typeof v === "string" ? v : undefined;
}

function numberOption(name: (typeof NUMBERS)[number], fallback: number): number {
  const v = option(name);
  return v === undefined ? fallback : Number(v);
}

const has = (name: keyof typeof OPTIONS) => flags[name] === true;

/** What is wrong with the command line, in one line; undefined when nothing is. */
function mistake(command: string | undefined, extra: readonly string[]): string | undefined {
  if (command !== "collect" && command !== "serve")
    return command === undefined ? "a command is needed: collect or serve" : `unknown command "${command}"`;
  if (extra.length > 0) return `unexpected argument "${extra[0]}"`;
  for (const name of NUMBERS) {
    const v = option(name);
    if (v !== undefined && !/^[0-9]{1,9}$/.test(v)) return `--${name} ${v}: a whole number`;
  }
  if (option("port") === undefined) return `${command} needs --port <path|tcp://host:port>`;
  const link = option("link") ?? "dex";
  if (link !== "dex" && link !== "ddcmp") return `--link ${link}: ddcmp or dex`;
  if (command === "collect" && option("out") === undefined) return "collect needs --out <file>";
  if (command === "serve" && option("file") === undefined) return "serve needs --file <audit file>";
  if (link === "ddcmp" && baudCode(numberOption("baud-max", 115200)) === 0)
    return `--baud-max ${option("baud-max")}: one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200`;
  return undefined;
}

/** Says a rate change; on a socket it is a protocol-level change only. */
function rate(baud: number, followed: boolean): void {
  process.stderr.write(
    `rate ${baud} baud${followed ? "" : " (protocol level: this stream has no line rate)"}\n`,
  );
}

function keep(out: string, data: Uint8Array | undefined): void {
  if (!has("keep-corrupt") || data === undefined) return;
  writeFileSync(`${out}.corrupt`, data);
  process.stderr.write(`kept ${data.length} damaged bytes in ${out}.corrupt\n`);
}

async function collectDdcmp(port: string, out: string): Promise<number> {
  const maxBaud = numberOption("baud-max", 115200);
  const stream = await openLink({ port, baudRate: START_BAUD });
  const progress = new Progress((line) => process.stderr.write(`${line}\n`));
  const collector = new AuditCollector({
    clock: () => localDateTime(new Date()),
    maxBaudCode: baudCode(maxBaud),
    lists: [numberOption("list", 1)],
    securityCode: numberOption("security-code", 0),
    passCode: numberOption("pass-code", 0),
  });
  collector.start();
  const events = await runSession<AuditCollectorEvent>(collector, stream, {
    onRate: rate,
    onEvent: (e) => {
      if (e.type === "identified") process.stderr.write(`device serial ${JSON.stringify(e.device.serial)}\n`);
      else if (e.type === "progress") progress.update(e.done, e.total, e.blocks);
      else if (e.type === "failed") process.stderr.write(`failed: ${e.reason}: ${e.detail}\n`);
    },
  });
  closeLink(stream);
  const received = events.find((e) => e.type === "received");
  if (received?.type !== "received") {
    const failed = events.find((e) => e.type === "failed");
    keep(out, failed?.type === "failed" ? failed.received : undefined);
    return 1;
  }
  const data = received.lists[0]?.data ?? new Uint8Array(0);
  writeFileSync(out, data);
  process.stderr.write(
    `wrote ${data.length} bytes to ${out}${received.confirmed ? "" : " (the device did not acknowledge FINISH: it has not reset)"}\n`,
  );
  return 0;
}

async function serveDdcmp(port: string, audit: Uint8Array): Promise<number> {
  const { stream, close } = await acceptLink({ port, baudRate: START_BAUD });
  const progress = new Progress((line) => process.stderr.write(`${line}\n`));
  const device = new AuditDevice(
    {
      maxBaudCode: baudCode(numberOption("baud-max", 115200)),
      checkCodes: has("check-codes"),
      securityCode: numberOption("security-code", 0),
      passCode: numberOption("pass-code", 0),
    },
    (list) => (list === 1 || list === 2 ? audit : undefined),
  );
  const events = await runSession<AuditDeviceEvent>(device, stream, {
    onRate: rate,
    onEvent: (e) => {
      if (e.type === "progress") progress.update(e.done, e.total, e.blocks);
      else if (e.type === "refused") process.stderr.write(`refused: ${e.detail}\n`);
      else if (e.type === "collected") process.stderr.write("collected\n");
      else if (e.type === "failed") process.stderr.write(`failed: ${e.reason}: ${e.detail}\n`);
    },
  });
  close();
  return events.some((e) => e.type === "ended" && e.collected) ? 0 : 1;
}

async function main(args: string[]): Promise<number> {
  let positionals: string[];
  try {
    const parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true });
    flags = parsed.values;
    positionals = parsed.positionals;
  } catch (e) {
    process.stderr.write(`ddcmp: ${e instanceof Error ? e.message : String(e)} (see --help)\n`);
    return 2;
  }
  if (has("help")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, ...extra] = positionals;
  const wrong = mistake(command, extra);
  if (wrong !== undefined) {
    process.stderr.write(`ddcmp: ${wrong} (see --help)\n`);
    return 2;
  }
  const port = option("port") as string;
  const link = option("link") ?? "dex";
  const baud = numberOption("baud", 9600);
  const out = option("out");
  const file = option("file");
  if (link === "ddcmp")
    return command === "collect"
      ? collectDdcmp(port, out as string)
      : serveDdcmp(port, new Uint8Array(readFileSync(file as string)));
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
    const stream = await openLink({ port, baudRate: baud });
    const collector = new DexCollector({ communicationId: option("id") ?? "VKTCOLLECT" });
    collector.start();
    const events = await runSession(collector, stream, { onEvent: report });
    closeLink(stream);
    const received = events.find((e) => e.type === "received");
    if (received?.type !== "received") {
      const failed = events.find((e) => e.type === "failed");
      keep(out as string, failed?.type === "failed" ? failed.received : undefined);
      return 1;
    }
    writeFileSync(out as string, received.data);
    process.stderr.write(`wrote ${received.data.length} bytes to ${out}\n`);
    return 0;
  }
  const audit = new Uint8Array(readFileSync(file as string));
  const { stream, close } = await acceptLink({ port, baudRate: baud });
  const device = new DexDevice(
    {
      communicationId: option("id") ?? "VKTDEVICE1",
      firstHandshake: has("dex-master") ? "master" : "slave",
    },
    () => audit,
  );
  device.start();
  const events = await runSession(device, stream, { onEvent: report });
  close();
  return events.some((e) => e.type === "collected") ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const { code, port } = e as { code?: string; port?: number };
    process.stderr.write(
      code === "EADDRINUSE"
        ? `ddcmp: port ${port} is in use (another collector or device?): choose another with --port tcp://host:N\n`
        : `ddcmp: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exitCode = code === "EADDRINUSE" ? 1 : 2;
  },
);
