import { createConnection, createServer, type Socket } from "node:net";
import type { Duplex } from "node:stream";

/**
 * The edges of an audit session: a serial device (a cable, an IrDA adapter, a pty) or a TCP
 * socket. `tcp://host:port` connects (collector side) or listens for one connection (device
 * side); anything else is a serial path opened through `serialport`.
 */
export interface LinkSpec {
  readonly port: string;
  readonly baud?: number;
}

const TCP = /^tcp:\/\/([^:/]+):(\d+)$/;

async function openSerial(path: string, baudRate: number): Promise<Duplex> {
  const { SerialPort } = await import("serialport");
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

/** Closes a serial port (its handle keeps the process alive otherwise) or ends a socket. */
export function closeStream(stream: Duplex): void {
  const port = stream as Duplex & { isOpen?: boolean; close?: (cb?: () => void) => void };
  if (typeof port.close === "function" && port.isOpen) port.close();
  else stream.destroy();
}

/** Collector side: connect to the device. */
export async function connect(spec: LinkSpec): Promise<Duplex> {
  const tcp = TCP.exec(spec.port);
  if (!tcp) return openSerial(spec.port, spec.baud ?? 9600);
  return new Promise((resolve, reject) => {
    const socket: Socket = createConnection({ host: tcp[1] as string, port: Number(tcp[2]) }, () =>
      resolve(socket),
    );
    socket.once("error", reject);
  });
}

/** Device side: open the port, or wait for one TCP connection. */
export async function accept(spec: LinkSpec): Promise<{ stream: Duplex; close: () => void }> {
  const tcp = TCP.exec(spec.port);
  if (!tcp) {
    const stream = await openSerial(spec.port, spec.baud ?? 9600);
    return { stream, close: () => closeStream(stream) };
  }
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => resolve({ stream: socket, close: () => server.close() }));
    server.once("error", reject);
    server.listen(Number(tcp[2]), tcp[1]);
  });
}
