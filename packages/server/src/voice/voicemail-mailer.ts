import type { VoicemailNotice, VoicemailNotifier } from '@telekommune/pbx';
import nodemailer, { type Transporter } from 'nodemailer';

/** Voicemail e-mail over SMTP (nodemailer): a short notice with the message's WAV attached. */
export class VoicemailMailer implements VoicemailNotifier {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async newMessage(notice: VoicemailNotice): Promise<void> {
    const { extension, message, tenant } = notice;
    const to = extension.voicemail?.email;
    if (!to) return;
    const seconds = Math.round(message.duration_ms / 1000);
    const caller = message.caller
      ? `${message.callerName ? `${message.callerName} ` : ''}(${message.caller})`
      : 'an unknown caller';
    const when = new Date(message.receivedAt).toLocaleString('en-GB', {
      timeZone: tenant.timeZone ?? 'UTC',
      dateStyle: 'full',
      timeStyle: 'short',
    });
    await this.transport.sendMail({
      from: this.from,
      to,
      subject: `New voicemail from ${caller} (${seconds} s)`,
      text: [
        `Hello ${extension.name},`,
        '',
        `${caller} left you a voicemail of ${seconds} seconds on ${when} (${tenant.timeZone ?? 'UTC'}).`,
        `Listen to it with *97 from your phone, or in the console. The recording is attached.`,
        '',
        `Mailbox ${extension.number}, ${tenant.name}`,
      ].join('\n'),
      ...(extension.voicemail?.attachAudio === false
        ? {}
        : {
            attachments: [
              { filename: `voicemail-${message.id}.wav`, path: notice.wavPath, contentType: 'audio/wav' },
            ],
          }),
    });
  }

  close(): void {
    this.transport.close();
  }
}
