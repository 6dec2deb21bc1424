import { headerFault } from '../errors.js';
import { isToken, type Params, parseParams, scanWhile, TOKEN, trimLws } from './scanner.js';

/** media-type / media-range (RFC 3261 §20.15, §20.1): type/subtype *(;param), lower-cased. */
export interface MediaType {
  readonly type: string;
  readonly subtype: string;
  readonly params: Params;
}

export function parseMediaType(value: string, header: string): MediaType {
  const text = trimLws(value);
  const typeEnd = scanWhile(text, 0, TOKEN);
  const slash = text.indexOf('/', typeEnd);
  if (typeEnd === 0 || slash === -1 || trimLws(text.slice(typeEnd, slash)) !== '')
    throw headerFault(header, 'bad media type');
  let subStart = slash + 1;
  while (text.charCodeAt(subStart) === 0x20 || text.charCodeAt(subStart) === 0x09) subStart++;
  const subEnd = scanWhile(text, subStart, TOKEN);
  if (subEnd === subStart) throw headerFault(header, 'bad media subtype');
  const type = text.slice(0, typeEnd).toLowerCase();
  const subtype = text.slice(subStart, subEnd).toLowerCase();
  if (!isToken(type) || !isToken(subtype)) throw headerFault(header, 'bad media type');
  return { type, subtype, params: parseParams(text, subEnd, header) };
}

export function mediaTypeName(media: MediaType): string {
  return `${media.type}/${media.subtype}`;
}

/** Whether an Accept media-range (which may be type/* or * / *) covers `type/subtype`. */
export function rangeCovers(range: MediaType, name: string): boolean {
  if (range.type === '*') return true;
  const slash = name.indexOf('/');
  if (range.type !== name.slice(0, slash)) return false;
  return range.subtype === '*' || range.subtype === name.slice(slash + 1);
}
