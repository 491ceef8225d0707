import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { openExecutiveLink } from "@vendkit/executive/node";
import { QIBIXX } from "@vendkit/mdb";
import { openLink, startQibixxMaster } from "@vendkit/mdb/node";
import { auditPortSettings } from "@vendkit/mizip-core";
import { serveAudits } from "./audit-port.js";
import { serveConsole } from "./console.js";
import { DEMO_KEYS, Device, protocolOf, SPECIAL_KEYS } from "./device.js";
import { drive } from "./drive.js";
import { runExecutiveVmc } from "./serial-executive-vmc.js";
import { runQibixxVmc } from "./serial-vmc.js";

/**
 * `npm start`: the reference device on its embedded defaults. Usage below (`--help` prints it).
 */
const USAGE = `usage: npm start -- [options]   (or: node apps/reference-device/dist/main.js [options])

The reference device on its embedded defaults: data in ./data, a simulated MDB VMC, three demo
keys, the programmer console on http://127.0.0.1:8080.

  --data DIR     where device.sqlite and keys.sqlite live (default ./data)
  --protocol P   mdb (default), executive-master, executive-rendiresto (an Executive changer
                 master of the reader) or executive-slave (an Executive changer master of the
                 VMC and of the reader, which answers as its card reader): the bus to the
                 simulated VMC, kept as parameter 30000 (and 20001 for RENDIRESTO); without it
                 the device runs what its parameters say (mdb at the first start), so a
                 protocol changed from the programmer takes effect at the next start
  --port N       the console's HTTP port (default 8080; 0: no console)
  --host ADDR    the address the console listens on (default 127.0.0.1); another one only once
                 a programmer password (009) is set, since the console changes credit and codes
  --drive SEED   run a stream of simulated customers (for the durability test), printing each
                 completed operation
  --check        power up, settle every key by inserting it once, print the state as JSON, exit
  --audit-port P answer audit collectors on a serial path or tcp://host:port, over EVA-DTS DDCMP
                 or DEX/UCS as the audit mode (parameter 40007) says
  --serial PATH  a real vending machine instead of the simulated VMC: with mdb, through a Qibixx
                 MDB adapter (cashless-device lines, 115200 baud); with executive-master, an
                 Executive interface on that port (the device polls the VMC)
  --serial-9bit PATH  a real MDB bus through a UART adapter that carries the mode bit as
                 two-byte words (115200 baud to the adapter)
  --cash-devices sim  the reader's own MDB coin changer and bill validator ("Rendiresto Plus
                 MDB", manual 4.8), simulated, on its second bus
  --changer-serial PATH  the same with real devices, through a Qibixx MDB adapter in master
                 mode on PATH (115200 baud)
  --help         this text`;

/** A command-line mistake: one line on stderr, exit 2. */
function usageError(message: string): never {
  console.error(`${message} (see --help)`);
  process.exit(2);
}

const options = {
  data: { type: "string", default: "data" },
  protocol: { type: "string" },
  port: { type: "string", default: "8080" },
  host: { type: "string", default: "127.0.0.1" },
  drive: { type: "string" },
  check: { type: "boolean", default: false },
  "audit-port": { type: "string" },
  serial: { type: "string" },
  "serial-9bit": { type: "string" },
  "cash-devices": { type: "string" },
  "changer-serial": { type: "string" },
  help: { type: "boolean", default: false },
} as const;
const values = (() => {
  try {
    return parseArgs({ options }).values;
  } catch (e) {
    return usageError(e instanceof Error ? e.message : String(e));
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!/^[0-9]{1,5}$/.test(values.port) || Number(values.port) > 65_535)
  usageError(`--port ${values.port}: a port is a number 0..65535`);
if (values.drive !== undefined && !/^[0-9]+$/.test(values.drive))
  usageError(`--drive ${values.drive}: the seed is a whole number`);
const dataDir = resolve(values.data);
const protocol = values.protocol;
if (
  protocol !== undefined &&
  protocol !== "mdb" &&
  protocol !== "executive-master" &&
  protocol !== "executive-rendiresto" &&
  protocol !== "executive-slave"
) {
  usageError(
    `--protocol ${protocol}: this release runs mdb, executive-master, executive-rendiresto or executive-slave`,
  );
}
const nineBit = values["serial-9bit"];
const serialMdb =
  nineBit === undefined
    ? undefined
    : await openLink({ port: nineBit, baudRate: 115_200 }).catch((e: unknown) => {
        console.error(`--serial-9bit ${nineBit}: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      });
if (values["cash-devices"] !== undefined && values["cash-devices"] !== "sim") {
  usageError(`--cash-devices ${values["cash-devices"]}: only "sim" (or --changer-serial PATH)`);
}
const changerSerial = values["changer-serial"];
const cashDevices =
  changerSerial !== undefined
    ? await openLink({ port: changerSerial, baudRate: QIBIXX.baudRate })
        .then(async (port) => {
          await startQibixxMaster(port);
          return port;
        })
        .catch((e: unknown) => {
          console.error(`--changer-serial ${changerSerial}: ${e instanceof Error ? e.message : String(e)}`);
          process.exit(1);
        })
    : values["cash-devices"] === "sim"
      ? ("sim" as const)
      : undefined;
const device = await Device.open(dataDir, {
  ...(protocol === undefined ? {} : { protocol }),
  serialMdb,
  cashDevices,
  log: (line) => console.log(line),
});
// the reader's second bus runs on its own, a round every 5 ms of real time
const cashBus = device.cash.devices;
if (cashBus !== undefined) {
  let busy = false;
  setInterval(() => {
    if (busy) return;
    busy = true;
    void cashBus.step(performance.now()).finally(() => {
      busy = false;
    });
  }, 5).unref();
}
// the console changes credit and codes: off the machine only behind a programmer password
if (
  !["127.0.0.1", "localhost", "::1"].includes(values.host) &&
  device.settings.params.numeric.password === 0
) {
  device.close();
  usageError(
    `--host ${values.host}: the console would be open to the network with the factory password 0; set a programmer password (parameter 9) first`,
  );
}
/** The bus the device runs: what its parameters (30000, 20001) say. */
const running = protocolOf(device.settings.params);

if (values.check) {
  for (let i = 0; i < device.keys.length; i++) {
    await device.insertKey(i);
    await device.removeKey();
  }
  console.log(JSON.stringify(await device.state()));
  device.close();
} else if (values.drive !== undefined) {
  await drive(device, Number(values.drive), (line) => console.log(line));
} else {
  const port = Number(values.port);
  const state = await device.state();
  console.log(`vendkit reference device`);
  console.log(`  storage        ${dataDir}/device.sqlite (SQLite, WAL, synchronous FULL)`);
  console.log(
    `  keys           ${dataDir}/keys.sqlite: ${DEMO_KEYS.length} demo keys, credits ${state.keys.map((k) => k.credit).join(", ")}`,
  );
  console.log(
    `  special keys   ${SPECIAL_KEYS.map((k) => k.kind).join(", ")} (4K cards, loaded from the console)`,
  );
  const serial = values.serial;
  if (nineBit !== undefined) console.log(`  VMC            ${nineBit}, ${device.link.name}`);
  else if (serial === undefined) console.log(`  VMC            simulated, ${device.link.name}`);
  else if (running === "executive-master") {
    const port = await openExecutiveLink(serial).catch((e: unknown) => {
      console.error(`--serial ${serial}: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    });
    void runExecutiveVmc(device, port, (line) => console.log(line)).catch((e: unknown) => {
      console.error(`serial VMC: ${e instanceof Error ? e.message : String(e)}`);
    });
    console.log(`  VMC            ${serial}, Executive (the device is master; prices on the VMC)`);
  } else if (running === "executive-rendiresto" || running === "executive-slave") {
    console.error(
      `--serial with ${running}: the changer is the master of that bus, simulated here; not supported`,
    );
    process.exit(2);
  } else {
    const port = await openLink({ port: serial, baudRate: QIBIXX.baudRate }).catch((e: unknown) => {
      console.error(`--serial ${serial}: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    });
    void runQibixxVmc(device, port, (line) => console.log(line)).catch((e: unknown) => {
      console.error(`serial VMC: ${e instanceof Error ? e.message : String(e)}`);
    });
    console.log(`  VMC            ${serial}, Qibixx MDB adapter (cashless device, always idle)`);
  }
  if (cashBus !== undefined) {
    const where = changerSerial === undefined ? "simulated" : `Qibixx adapter on ${changerSerial}`;
    console.log(`  cash devices   MDB changer and bill validator on the reader's own bus, ${where}`);
  }
  const auditPort = values["audit-port"];
  if (auditPort !== undefined) {
    void serveAudits(device, { port: auditPort }, (line) => console.log(line)).catch((e: unknown) => {
      console.error(`audit port: ${e instanceof Error ? e.message : String(e)}`);
    });
    const link = auditPortSettings(device.settings.params).link === "dex" ? "DEX/UCS" : "EVA-DTS DDCMP";
    console.log(`  audit port     ${auditPort} (${link}, as the audit mode 40007 says)`);
  }
  // the clock the payment system needs between events: the 3-minute overprice (4.10.6), a
  // recharge key's 3 seconds (3.5)
  setInterval(() => void device.tick(), 1000);
  if (port > 0) {
    const host = values.host;
    await serveConsole(device, port, host).catch((e: unknown) => {
      device.close();
      if ((e as { code?: string }).code === "EADDRINUSE") {
        console.error(
          `port ${port} on ${host} is in use (another device or console?): choose another with --port N`,
        );
        process.exit(1);
      }
      throw e;
    });
    const shown = host.includes(":") ? `[${host}]` : host;
    console.log(`\nProgrammer console: http://${shown}:${port}/`);
  }
  console.log(`Ctrl-C stops it.`);
  process.on("SIGINT", () => {
    device.close();
    process.exit(0);
  });
}
