import { createConnection, createServer, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { MachineError } from "./errors.js";

/**
 * Where a machine's bytes go: `tcp://host:port`, or the path of a serial device (a USB adapter,
 * a UART, an IrDA dongle, a pty), opened through the optional `serialport` package.
 */
export interface LinkSpec {
  readonly port: string;
  readonly baudRate?: number;
  readonly dataBits?: 5 | 6 | 7 | 8;
  readonly parity?: "none" | "even" | "odd" | "mark" | "space";
  readonly stopBits?: 1 | 1.5 | 2;
}

const TCP = /^tcp:\/\/([^:/]+):(\d+)$/;

async function openSerial(spec: LinkSpec): Promise<Duplex> {
  let serialport: typeof import("serialport");
  try {
    serialport = await import("serialport");
  } catch {
    throw new MachineError(
      "SERIALPORT_MISSING",
      `${spec.port} is a serial device and the optional package serialport is not installed: npm install serialport`,
    );
  }
  return new Promise((resolve, reject) => {
    const port = new serialport.SerialPort({
      path: spec.port,
      baudRate: spec.baudRate ?? 9600,
      dataBits: spec.dataBits ?? 8,
      parity: spec.parity ?? "none",
      stopBits: spec.stopBits ?? 1,
      autoOpen: false,
    });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

function tcpAddress(port: string): { host: string; port: number } | undefined {
  const m = TCP.exec(port);
  if (m) return { host: m[1] as string, port: Number(m[2]) };
  if (port.includes("://"))
    throw new MachineError("BAD_LINK", `${port}: only tcp://host:port or a device path`);
  return undefined;
}

/** Connects to the other end: opens the serial device, or connects to `tcp://host:port`. */
export async function openLink(spec: LinkSpec): Promise<Duplex> {
  const tcp = tcpAddress(spec.port);
  if (!tcp) return openSerial(spec);
  return new Promise((resolve, reject) => {
    const socket: Socket = createConnection(tcp, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Waits for the other end: opens the serial device, or listens for one TCP connection. */
export async function acceptLink(spec: LinkSpec): Promise<{ stream: Duplex; close: () => void }> {
  const tcp = tcpAddress(spec.port);
  if (!tcp) {
    const stream = await openSerial(spec);
    return { stream, close: () => closeLink(stream) };
  }
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => resolve({ stream: socket, close: () => server.close() }));
    server.once("error", reject);
    server.listen(tcp.port, tcp.host);
  });
}

/** Closes a serial port (its handle keeps the process alive otherwise) or ends a socket. */
export function closeLink(stream: Duplex): void {
  const port = stream as Duplex & { isOpen?: boolean; close?: (cb?: () => void) => void };
  if (typeof port.close === "function" && port.isOpen) port.close();
  else stream.destroy();
}

/**
 * Changes a serial port's line rate (after a protocol agreed a new one); false when the stream
 * has no line rate (a socket, a pipe): the change is then a protocol-level one only.
 */
export function setLineRate(stream: Duplex, baudRate: number): boolean {
  const port = stream as Duplex & { update?: (o: { baudRate: number }) => void };
  if (typeof port.update !== "function") return false;
  port.update({ baudRate });
  return true;
}
