// Sends the server's e-mail (password reset links): through SMTP with nodemailer when SMTP_URL is
// set; without it the message goes to the server log and the outbox an operator reads in the admin
// tool, so the embedded mode works with no mail server at all. Every message is recorded in the outbox.
import { type Database, recordOutboxMail } from "@lockstep/db";
import nodemailer from "nodemailer";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface MailerOptions {
  db: Database;
  /** smtp(s)://user:pass@host:port; null or undefined keeps mail in the log and the outbox. */
  smtpUrl?: string | null | undefined;
  from: string;
  /** Where a message without SMTP is written (the server log). */
  log: (line: string) => void;
}

export function createMailer(options: MailerOptions): Mailer {
  const transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  return {
    async send(message) {
      if (!transport) {
        options.log(
          `mail to ${message.to} (no SMTP_URL; also in the admin outbox): ${message.subject}\n${message.text}`,
        );
        await recordOutboxMail(options.db.prisma, {
          recipient: message.to,
          subject: message.subject,
          body: message.text,
          status: "logged",
        });
        return;
      }
      try {
        await transport.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text });
      } catch (error) {
        // Kept with its text, so an operator can hand the link over while the mail server is fixed.
        await recordOutboxMail(options.db.prisma, {
          recipient: message.to,
          subject: message.subject,
          body: message.text,
          status: "failed",
          error: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
      await recordOutboxMail(options.db.prisma, {
        recipient: message.to,
        subject: message.subject,
        body: null,
        status: "sent",
      });
    },
  };
}
