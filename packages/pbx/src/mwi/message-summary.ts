import type { MessageCounts } from '../voicemail/voicemail-repository.js';

export const MESSAGE_SUMMARY_TYPE = 'application/simple-message-summary';

/**
 * The body of a message-summary NOTIFY (RFC 3842 §5.2): whether messages
 * are waiting, the account, and voice messages as new/old.
 */
export function formatMessageSummary(account: string, counts: MessageCounts): string {
  return [
    `Messages-Waiting: ${counts.new > 0 ? 'yes' : 'no'}`,
    `Message-Account: ${account}`,
    `Voice-Message: ${counts.new}/${counts.old} (0/0)`,
    '',
  ].join('\r\n');
}
