/** The notifications section: the mail relay and sender, the SMS and push providers, and how long a channel is tried. */
import { z } from 'zod';
import { duration, port, url } from './settings.ts';

const notificationsSchema = z.object({
  SMTP_URL: url(['smtp', 'smtps']).default('smtp://127.0.0.1:2525').describe('mail relay; a loopback URL makes `npm start` run its SMTP sink there'),
  MAILBOX_PORT: port.default(2580).describe("the sink's HTTP mailbox"),
  EMAIL_FROM: z.string().min(3).default('Durable Checkout <orders@checkout.example>').describe('sender of customer mail'),
  SMS_PRIMARY_URL: url(['http', 'https']).default('http://127.0.0.1:4013').describe('primary SMS provider (simulated by `npm start` on loopback URLs)'),
  SMS_SECONDARY_URL: url(['http', 'https']).default('http://127.0.0.1:4014').describe('secondary SMS provider (simulated by `npm start` on loopback URLs)'),
  PUSH_PRIMARY_URL: url(['http', 'https']).default('http://127.0.0.1:4015').describe('primary push provider (simulated by `npm start` on loopback URLs)'),
  PUSH_SECONDARY_URL: url(['http', 'https']).default('http://127.0.0.1:4016').describe('secondary push provider (simulated by `npm start` on loopback URLs)'),
  NOTIFY_PROVIDER_TIMEOUT: duration.default(3_000).describe('per-request timeout of SMS and push provider calls'),
  NOTIFY_CHANNEL_DEADLINE: duration.default(60_000).describe("how long a channel is tried before a message falls back to the customer's next channel"),
});
export const notificationsEnv = notificationsSchema.shape;
type NotificationsEnv = z.infer<typeof notificationsSchema>;

export interface EmailConfig {
  smtpUrl: string;
  from: string;
  mailboxPort: number;
}

export interface NotificationsConfig {
  providers: { sms: { primary: string; secondary: string }; push: { primary: string; secondary: string } };
  providerTimeoutMs: number;
  channelDeadlineMs: number;
}

export const notificationsOf = (e: NotificationsEnv): { email: EmailConfig; notifications: NotificationsConfig } => ({
  email: { smtpUrl: e.SMTP_URL, from: e.EMAIL_FROM, mailboxPort: e.MAILBOX_PORT },
  notifications: {
    providers: { sms: { primary: e.SMS_PRIMARY_URL, secondary: e.SMS_SECONDARY_URL }, push: { primary: e.PUSH_PRIMARY_URL, secondary: e.PUSH_SECONDARY_URL } },
    providerTimeoutMs: e.NOTIFY_PROVIDER_TIMEOUT,
    channelDeadlineMs: e.NOTIFY_CHANNEL_DEADLINE,
  },
});
