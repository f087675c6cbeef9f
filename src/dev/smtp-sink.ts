/**
 * A development SMTP sink: accepts every email (no auth, no TLS), keeps it in memory and lists it as JSON on a
 * small mailbox HTTP port (`GET /messages`, `GET /messages/:id/raw`, `DELETE /messages`). Parses just enough
 * MIME (headers, encoded words, multipart, quoted-printable, base64) to show subject, text and HTML.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
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
        const parsed = parseMime(raw.toString('utf8'));
        const messageId = parsed.headers['message-id'] ?? null;
        const first = messageId ? stored.find((s) => s.message.messageId === messageId) : undefined;
        const mailFrom = session.envelope.mailFrom;
        stored.push({
          raw,
          message: {
            id: randomUUID(),
            from: parsed.headers.from ?? (mailFrom ? mailFrom.address : ''),
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.headers.subject ?? '',
            messageId,
            duplicateOf: first?.message.id ?? null,
            headers: parsed.headers,
            ...(parsed.text !== undefined ? { text: parsed.text } : {}),
            ...(parsed.html !== undefined ? { html: parsed.html } : {}),
            receivedAt: new Date().toISOString(),
            size: raw.length,
          },
        });
        callback();
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

interface ParsedMime {
  headers: Record<string, string>;
  text?: string;
  html?: string;
}

/** Header name (lower case) → decoded value; a repeated header keeps its first value. */
function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= decodeWords(line.slice(colon + 1).trim());
  }
  return headers;
}

/** RFC 2047 encoded words, e.g. `=?UTF-8?Q?Caf=C3=A9?=`; whitespace between two encoded words is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const clean = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < clean.length; i++) {
    const hex = clean[i] === '=' ? clean.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(clean[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const param = (header: string | undefined, name: string) =>
  header ? new RegExp(`${name}="?([^";]+)"?`, 'i').exec(header)?.[1] : undefined;

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const split = /\r?\n\r?\n/.exec(raw);
  return {
    headers: parseHeaders(split ? raw.slice(0, split.index) : raw),
    body: split ? raw.slice(split.index + split[0].length) : '',
  };
}

function parseMime(raw: string): ParsedMime {
  const { headers, body } = splitEntity(raw);
  const result: ParsedMime = { headers };
  collectBodies(headers, body, result);
  return result;
}

function collectBodies(headers: Record<string, string>, body: string, into: ParsedMime): void {
  const type = (headers['content-type'] ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = param(headers['content-type'], 'boundary');
    if (!boundary) return;
    for (const section of body.split(`--${boundary}`).slice(1)) {
      if (section.startsWith('--')) break; // the closing delimiter
      const part = splitEntity(section.replace(/^\r?\n/, ''));
      collectBodies(part.headers, part.body, into);
    }
    return;
  }
  if (type !== 'text/plain' && type !== 'text/html') return;
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const trimmed = body.replace(/\r?\n$/, '');
  const decoded =
    encoding === 'base64'
      ? Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(trimmed)
        : trimmed;
  if (type === 'text/plain') into.text ??= decoded.replace(/\r\n/g, '\n');
  else into.html ??= decoded.replace(/\r\n/g, '\n');
}
