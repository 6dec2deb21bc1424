import { describe, expect, it } from 'vitest';
import { formatMessageSummary, MESSAGE_SUMMARY_TYPE } from './message-summary.js';

describe('message-summary body (RFC 3842 §5.2)', () => {
  it('says messages are waiting when there are new ones, with new/old voice counts', () => {
    expect(formatMessageSummary('sip:1002@acme.example', { new: 2, old: 1 })).toBe(
      'Messages-Waiting: yes\r\nMessage-Account: sip:1002@acme.example\r\nVoice-Message: 2/1 (0/0)\r\n',
    );
  });

  it('says no when only old messages are left', () => {
    const body = formatMessageSummary('sip:1002@acme.example', { new: 0, old: 3 });
    expect(body.split('\r\n')).toEqual([
      'Messages-Waiting: no',
      'Message-Account: sip:1002@acme.example',
      'Voice-Message: 0/3 (0/0)',
      '',
    ]);
  });

  it('follows the RFC 3842 grammar: status line first, CRLF line ends, no bare LF', () => {
    const body = formatMessageSummary('sip:1@a.b', { new: 0, old: 0 });
    expect(body.startsWith('Messages-Waiting: ')).toBe(true);
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // msg-summary-line = message-context-class HCOLON newmsgs SLASH oldmsgs [ LPAREN new-urgentmsgs SLASH old-urgentmsgs RPAREN ]
    expect(body).toMatch(/^Voice-Message: [0-9]+\/[0-9]+ \([0-9]+\/[0-9]+\)\r$/m);
    expect(MESSAGE_SUMMARY_TYPE).toBe('application/simple-message-summary');
  });
});
