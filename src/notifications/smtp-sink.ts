/**
 * A development SMTP sink: accepts every email (no auth, no TLS), keeps it in memory and lists it as JSON on a
 * small mailbox HTTP port (`GET /messages`, `GET /messages/:id/raw`, `DELETE /messages`). Messages are parsed
 * with mailparser (the MIME parser of the nodemailer project) to show subject, text and HTML.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { simpleParser, type HeaderValue } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  id: string;
  from: string;
  /** Envelope recipients. */
  to: string[];
  subject: string;
  messageId: string | null;
  /** Set when an earlier message carried the same Message-ID: a resend. */
  duplicateOf: string | null;
  headers: Record<string, string>;
  text?: string;
  html?: string;
  receivedAt: string;
  size: number;
}

export interface SmtpSink {
  smtpUrl: string;
  mailboxUrl: string;
  messages(): SinkMessage[];
  clear(): void;
  /** Answers RCPT TO for matching addresses with `code` (451: try later, 550: refused); null accepts all again. */
  rejectRecipients(pattern: RegExp | null, code?: number): void;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  host?: string;
  /** 0 picks a free port. */
  smtpPort: number;
  mailboxPort: number;
}

export async function startSmtpSink({ host = '127.0.0.1', smtpPort, mailboxPort }: SmtpSinkOptions): Promise<SmtpSink> {
  const stored: { message: SinkMessage; raw: Buffer }[] = [];
  let rejection: { pattern: RegExp; code: number } | null = null;

  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    closeTimeout: 1_000,
    onRcptTo(address, _session, callback) {
      if (rejection?.pattern.test(address.address)) {
        const error = Object.assign(new Error(`mailbox ${address.address} unavailable (sink rejection)`), { responseCode: rejection.code });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw, { skipImageLinks: true }).then(
          (parsed) => {
            const messageId = parsed.messageId ?? null;
            const first = messageId ? stored.find((s) => s.message.messageId === messageId) : undefined;
            const mailFrom = session.envelope.mailFrom;
            stored.push({
              raw,
              message: {
                id: randomUUID(),
                from: parsed.from?.text ?? (mailFrom ? mailFrom.address : ''),
                to: session.envelope.rcptTo.map((r) => r.address),
                subject: parsed.subject ?? '',
                messageId,
                duplicateOf: first?.message.id ?? null,
                headers: Object.fromEntries([...parsed.headers].map(([name, value]) => [name, headerText(value)])),
                ...(parsed.text !== undefined ? { text: parsed.text.replace(/\n$/, '') } : {}),
                ...(typeof parsed.html === 'string' ? { html: parsed.html.replace(/\n$/, '') } : {}),
                receivedAt: new Date().toISOString(),
                size: raw.length,
              },
            });
            callback();
          },
          (error: Error) => callback(Object.assign(error, { responseCode: 554 })),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(smtpPort, host, () => resolve());
  });
  // A client that drops its connection must not take the sink down.
  smtp.on('error', () => undefined);

  const mailbox: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (url.pathname === '/messages' && req.method === 'GET') {
      const to = url.searchParams.get('to');
      return send(200, { messages: stored.map((s) => s.message).filter((m) => !to || m.to.includes(to)) });
    }
    if (url.pathname === '/messages' && req.method === 'DELETE') {
      stored.length = 0;
      return send(200, { deleted: true });
    }
    const raw = /^\/messages\/([^/]+)\/raw$/.exec(url.pathname);
    if (raw && req.method === 'GET') {
      const found = stored.find((s) => s.message.id === raw[1]);
      return found ? send(200, found.raw.toString('utf8'), 'message/rfc822') : send(404, { error: 'no such message' });
    }
    send(404, { error: 'not found', routes: ['GET /messages', 'GET /messages/:id/raw', 'DELETE /messages'] });
  });
  await new Promise<void>((resolve, reject) => {
    mailbox.once('error', reject);
    mailbox.listen(mailboxPort, host, () => resolve());
  });

  const smtpAddress = smtp.server.address() as AddressInfo;
  const mailboxAddress = mailbox.address() as AddressInfo;
  return {
    smtpUrl: `smtp://${host}:${smtpAddress.port}`,
    mailboxUrl: `http://${host}:${mailboxAddress.port}`,
    messages: () => stored.map((s) => s.message),
    clear: () => void (stored.length = 0),
    rejectRecipients: (pattern, code = 451) => void (rejection = pattern ? { pattern, code } : null),
    close: async () => {
      mailbox.closeAllConnections();
      await Promise.all([new Promise<void>((r) => mailbox.close(() => r())), new Promise<void>((r) => smtp.close(() => r()))]);
    },
  };
}

/** A parsed header as text: addresses as written, dates in ISO form, structured values with their parameters. */
function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => headerText(v as HeaderValue)).join(', ');
  if ('text' in value) return typeof value.text === 'string' ? value.text : JSON.stringify(value.text);
  if ('value' in value) {
    const params = Object.entries(value.params ?? {}).map(([k, v]) => `; ${k}=${v}`);
    return `${value.value}${params.join('')}`;
  }
  return JSON.stringify(value);
}
