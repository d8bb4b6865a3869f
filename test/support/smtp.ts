import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the test SMTP server received and `mailparser` parsed it. */
export interface ReceivedMail {
  /** The envelope's recipients (`RCPT TO`), lower-cased. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Every line of the text part that is a URL alone on its line. */
  links: string[];
}

export interface TestSmtp {
  /** `smtp://127.0.0.1:<port>`, for `MAIL_URL`. */
  url: string;
  /** Every message received so far, in order. */
  received: ReceivedMail[];
  /** The next message to `address` not yet taken, waiting up to `ms` for it. */
  nextMail(address: string, ms?: number): Promise<ReceivedMail>;
  /** Messages to `address` not yet taken (none are taken by this call). */
  pending(address: string): ReceivedMail[];
  /** While set, every message is refused with `550` (a send that fails). */
  refuse: boolean;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 and a free port, started by the test:
 * no TLS, any sender and recipient, each message parsed by `mailparser`. The app's nodemailer transport
 * talks to it as to any server (never a mocked transport).
 */
export async function startSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters: (() => void)[] = [];
  const smtp: TestSmtp = {
    url: '',
    received,
    refuse: false,
    pending: (address) =>
      received.filter((m) => !taken.has(m) && m.to.includes(address.toLowerCase())),
    nextMail: async (address, ms = 5000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const [mail] = smtp.pending(address);
        if (mail) {
          taken.add(mail);
          return mail;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no mail to ${address} within ${ms} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          if (smtp.refuse)
            return callback(Object.assign(new Error('refused by the test'), { responseCode: 550 }));
          const text = parsed.text ?? '';
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text,
            html: typeof parsed.html === 'string' ? parsed.html : '',
            links: text
              .split('\n')
              .map((line) => line.trim())
              .filter((line) => /^https?:\/\/\S+$/.test(line)),
          });
          waiters.splice(0).forEach((wake) => wake());
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtp.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return smtp;
}

/** The `token` query parameter of a link. */
export function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}
