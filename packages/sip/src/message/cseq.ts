import { headerFault } from '../errors.js';
import { isToken, parseDigits, trimLws } from './scanner.js';

/** CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16); the number is below 2**31 (§8.1.1.5). */
export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export const MAX_CSEQ = 2 ** 31 - 1;

export function parseCSeq(value: string): CSeq {
  const match = /^([0-9]+)[ \t]+(\S+)$/.exec(trimLws(value));
  if (!match) throw headerFault('CSeq');
  const seq = parseDigits(match[1]!, MAX_CSEQ);
  if (seq === undefined) throw headerFault('CSeq', 'sequence number out of range');
  if (!isToken(match[2]!)) throw headerFault('CSeq', 'bad method');
  return { seq, method: match[2]! };
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
