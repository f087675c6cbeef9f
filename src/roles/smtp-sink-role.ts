/** The smtp-sink role: an SMTP server that keeps what it receives, and the mailbox that shows it (`/messages`). */
import type { Config } from '../config/index.ts';
import { startSmtpSink } from '../notifications/smtp-sink.ts';
import { portOfUrl } from '../platform/ports.ts';
import type { Lifecycle } from './lifecycle.ts';

export async function startConfiguredSmtpSink(config: Config, host: string, lifecycle: Lifecycle) {
  const sink = await startSmtpSink({ host, smtpPort: portOfUrl(config.email.smtpUrl), mailboxPort: config.email.mailboxPort });
  lifecycle.add('smtp sink', sink.close);
  return sink;
}
