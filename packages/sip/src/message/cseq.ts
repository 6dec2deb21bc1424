import { headerFault } from '../errors.js';
import { isToken, isWs, parseDigits, trimLws } from './scanner.js';

/** CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16); the number is below 2**31 (§8.1.1.5). */
export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export const MAX_CSEQ = 2 ** 31 - 1;

export function parseCSeq(value: string): CSeq {
  const text = trimLws(value);
  let i = 0;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
  const digitsEnd = i;
  while (i < text.length && isWs(text.charCodeAt(i))) i++;
  if (digitsEnd === 0 || i === digitsEnd || i === text.length) throw headerFault('CSeq');
  const method = text.slice(i);
  const seq = parseDigits(text.slice(0, digitsEnd), MAX_CSEQ);
  if (seq === undefined) throw headerFault('CSeq', 'sequence number out of range');
  if (!isToken(method)) throw headerFault('CSeq', /[ \t]/.test(method) ? undefined : 'bad method');
  return { seq, method };
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
