import { readFileSync, writeFileSync } from "node:fs";
import { DexCollector, DexDevice, type DexEvent } from "@vendkit/evadts/dex";
import { runOverStream } from "./run.js";
import { accept, closeStream, connect } from "./transport.js";

const USAGE = `usage:
  ddcmp collect --port <path|tcp://host:port> [--baud 9600] --link dex --out <file> [--id HHT0000001]
                [--keep-corrupt]
  ddcmp serve   --port <path|tcp://host:port> [--baud 9600] --link dex --file <audit file> [--id VKT0000001]
                [--dex-master]

collect reads an audit from a machine (the collector end); serve answers a collector with a file
(the device end). Progress goes to standard error. The link is DEX/UCS; the EVA-DTS session over
DDCMP is not in this release, so --link accepts only "dex".
  --keep-corrupt  when the audit fails its check or the transfer breaks off, write what arrived to
                  <out>.corrupt (the exit code still says it failed)
  --dex-master    the device opens the first handshake itself, as coin mechanisms and older
                  controllers do (the collector lets it through)`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const [command] = args;
  const port = option(args, "port");
  const link = option(args, "link") ?? "dex";
  const baud = Number(option(args, "baud") ?? 9600);
  if ((command !== "collect" && command !== "serve") || !port || link !== "dex" || !Number.isInteger(baud)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const report = (e: DexEvent) => {
    if (e.type === "progress")
      process.stderr.write(`progress ${e.done}${e.total === undefined ? "" : `/${e.total}`} bytes\n`);
    else if (e.type === "handshake")
      process.stderr.write(`handshake with ${e.communicationId} (${e.revision}, ${e.detail})\n`);
    else if (e.type === "failed") process.stderr.write(`failed: ${e.reason}: ${e.detail}\n`);
    else if (e.type === "collected") process.stderr.write("collected\n");
    else if (e.type === "received" && !e.eot)
      process.stderr.write("the last block was acknowledged but no EOT came: the audit is complete\n");
  };
  if (command === "collect") {
    const out = option(args, "out");
    if (!out) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const stream = await connect({ port, baud });
    const collector = new DexCollector({ communicationId: option(args, "id") ?? "VKTCOLLECT" });
    const events = await runOverStream(collector, stream, collector.start(performance.now()), {
      onEvent: report,
    });
    closeStream(stream);
    const received = events.find((e) => e.type === "received");
    if (received?.type !== "received") {
      const failed = events.find((e) => e.type === "failed");
      if (args.includes("--keep-corrupt") && failed?.type === "failed" && failed.received) {
        writeFileSync(`${out}.corrupt`, failed.received);
        process.stderr.write(`kept ${failed.received.length} damaged bytes in ${out}.corrupt\n`);
      }
      return 1;
    }
    writeFileSync(out, received.data);
    process.stderr.write(`wrote ${received.data.length} bytes to ${out}\n`);
    return 0;
  }
  const file = option(args, "file");
  if (!file) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const audit = new Uint8Array(readFileSync(file));
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
