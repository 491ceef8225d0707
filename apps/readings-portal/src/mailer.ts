import nodemailer from "nodemailer";

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly attachments?: readonly {
    readonly filename: string;
    readonly content: string;
    readonly contentType: string;
  }[];
}

/** Where the portal's e-mail goes. One implementation: SMTP through nodemailer. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** An SMTP mailer: `url` as nodemailer takes it, e.g. smtp://user:pass@mail.example.com:587. */
export function smtpMailer(url: string, from: string): Mailer {
  // Pooled: one SMTP connection carries many messages instead of a handshake per message.
  const transport = nodemailer.createTransport(`${url}${url.includes("?") ? "&" : "?"}pool=true`);
  return {
    send: async (mail) => {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        attachments: mail.attachments?.map((a) => ({ ...a })),
      });
    },
    close: () => transport.close(),
  };
}
