import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { AppConfigFile } from '../config/schema.js';

export type SmtpConfig = NonNullable<AppConfigFile['report']['smtp']>;

export type EmailOutcome =
  | { readonly status: 'not_requested' }
  | { readonly status: 'sent'; readonly messageId: string; readonly accepted: readonly string[] }
  | { readonly status: 'failed'; readonly error: string };

export interface Attachment {
  readonly filename: string;
  readonly content: Buffer;
  readonly contentType: string;
}

/**
 * The SMTP password or authorization code (授权码), from the environment variable or file the
 * config names. Absent is fine for a relay that takes no login; a named source that is empty is not.
 */
export function readSmtpSecret(
  smtp: SmtpConfig,
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; secret: string | undefined } | { ok: false; error: string } {
  if (smtp.secretEnv) {
    const v = env[smtp.secretEnv];
    if (v) return { ok: true, secret: v };
    if (!smtp.secretFile) return { ok: false, error: `environment variable ${smtp.secretEnv} is not set` };
  }
  if (smtp.secretFile) {
    try {
      const v = readFileSync(smtp.secretFile, 'utf8').trim();
      return v ? { ok: true, secret: v } : { ok: false, error: `secret file ${smtp.secretFile} is empty` };
    } catch (err) {
      return {
        ok: false,
        error: `secret file ${smtp.secretFile} cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      };
    }
  }
  if (smtp.user)
    return {
      ok: false,
      error: 'report.smtp.user is set but neither secretEnv nor secretFile gives its secret',
    };
  return { ok: true, secret: undefined };
}

/** Send one message; failures come back as a value (the report is already written and recorded). */
export async function sendReportMail(
  smtp: SmtpConfig,
  secret: string | undefined,
  message: { subject: string; text: string; attachments: readonly Attachment[] },
): Promise<EmailOutcome> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: secret ?? '' } } : {}),
    tls: { rejectUnauthorized: smtp.rejectUnauthorized },
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to: smtp.to,
      subject: message.subject,
      text: message.text,
      attachments: message.attachments.map((a) => ({ ...a })),
    });
    return {
      status: 'sent',
      messageId: info.messageId,
      accepted: [...info.accepted].map(String),
    };
  } catch (err) {
    // nodemailer's messages name the server and the SMTP reply; strip the secret anyway in case a server echoes it.
    const text = (err as Error).message;
    return { status: 'failed', error: secret ? text.split(secret).join('[redacted]') : text };
  } finally {
    transport.close();
  }
}
