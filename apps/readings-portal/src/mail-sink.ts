import { mkdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";

export interface MailSink {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback that accepts every message (no authentication, no relaying
 * anywhere): the demo's mailbox, and the tests' mail server. Each message is handed to `onMessage`
 * raw and, when `dir` is given, saved there as an .eml file any mail program opens.
 */
export async function startMailSink(options: {
  port?: number;
  dir?: string;
  onMessage?: (raw: Buffer, recipients: string[]) => void;
}): Promise<MailSink> {
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        if (options.dir)
          writeFileSync(join(options.dir, `${Date.now()}-${String(++n).padStart(4, "0")}.eml`), raw);
        options.onMessage?.(raw, recipients);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
