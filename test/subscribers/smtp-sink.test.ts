/** The development SMTP sink: receives what nodemailer sends and lists it, parsed, on its mailbox port. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { startSmtpSink, type SmtpSink } from '../../src/notifications/smtp-sink.ts';

let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, mailboxPort: 0 });
});
afterAll(() => sink?.close());

const send = (mail: SendMailOptions) => nodemailer.createTransport({ url: sink.smtpUrl }).sendMail(mail);

describe('smtp sink', () => {
  it('listens on free ports when asked for port 0', () => {
    expect(sink.smtpUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    expect(sink.mailboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sink.smtpUrl).not.toMatch(/:0$/);
  });

  it('lists a multipart email with its decoded subject, text and html', async () => {
    await fetch(`${sink.mailboxUrl}/messages`, { method: 'DELETE' });
    await send({
      from: 'Shop <orders@shop.example>',
      to: 'Zoë <zoe@example.com>',
      subject: 'Votre commande est confirmée — merci ☕',
      text: 'Bonjour Zoë,\nTotal: 39,98 € = fine\n' + 'long line '.repeat(20),
      html: '<p>Bonjour <b>Zoë</b></p>',
      messageId: '<evt_1@durable-checkout>',
    });
    const body = (await (await fetch(`${sink.mailboxUrl}/messages`)).json()) as { messages: Record<string, unknown>[] };
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]).toMatchObject({
      from: expect.stringContaining('orders@shop.example'),
      to: ['zoe@example.com'],
      subject: 'Votre commande est confirmée — merci ☕',
      messageId: '<evt_1@durable-checkout>',
      duplicateOf: null,
      text: 'Bonjour Zoë,\nTotal: 39,98 € = fine\n' + 'long line '.repeat(20),
      html: '<p>Bonjour <b>Zoë</b></p>',
    });
    const raw = await (await fetch(`${sink.mailboxUrl}/messages/${String(body.messages[0]!.id)}/raw`)).text();
    expect(raw).toContain('Message-ID: <evt_1@durable-checkout>');
  });

  it('marks a resend with the same Message-ID and clears on DELETE', async () => {
    sink.clear();
    await send({ from: 'a@shop.example', to: 'b@example.com', subject: 'one', text: 'x', messageId: '<same@x>' });
    await send({ from: 'a@shop.example', to: 'b@example.com', subject: 'one', text: 'x', messageId: '<same@x>' });
    const [first, second] = sink.messages();
    expect(second!.duplicateOf).toBe(first!.id);
    const cleared = await fetch(`${sink.mailboxUrl}/messages`, { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    expect(sink.messages()).toEqual([]);
  });

  it('can refuse recipients, temporarily or for good', async () => {
    sink.rejectRecipients(/^nope@/, 451);
    await expect(send({ from: 'a@shop.example', to: 'nope@example.com', subject: 's', text: 't' })).rejects.toMatchObject({ responseCode: 451 });
    sink.rejectRecipients(null);
    await send({ from: 'a@shop.example', to: 'nope@example.com', subject: 's', text: 't' });
    expect(sink.messages().at(-1)!.to).toEqual(['nope@example.com']);
  });
});
