/**
 * The header fields that ask a phone to answer a call by itself (intercom,
 * paging), in the forms the common desk phones document:
 * - `Call-Info: <sip:DOMAIN>;answer-after=0` (Snom, Yealink, Grandstream,
 *   Cisco SPA, Gigaset: answer after 0 seconds);
 * - `Alert-Info: <http://www.notused.com>;info=alert-autoanswer;delay=0`
 *   (Snom, Yealink; Polycom when its alert-info class for `autoanswer` is set);
 * - `Answer-Mode: Auto` (RFC 5373 §7.1), without `Require: answermode`, so a
 *   phone that does not know it still rings.
 * Whether a phone obeys is its own setting (e.g. Snom's `answer_after_policy`,
 * Yealink's "Accept intercom").
 */
export function autoAnswerHeaders(domain: string): ReadonlyArray<readonly [string, string]> {
  return [
    ['Call-Info', `<sip:${domain}>;answer-after=0`],
    ['Alert-Info', '<http://www.notused.com>;info=alert-autoanswer;delay=0'],
    ['Answer-Mode', 'Auto'],
  ];
}
