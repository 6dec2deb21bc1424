import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The RFC 4475 and RFC 5118 messages, copied byte for byte from ../shared/vectors/sip. */
export const VECTOR_DIR = join(import.meta.dirname, 'vectors');

export function rfc4475(name: string): Buffer {
  return readFileSync(join(VECTOR_DIR, 'rfc4475', `${name}.dat`));
}

export function rfc5118(name: string): Buffer {
  return readFileSync(join(VECTOR_DIR, 'rfc5118', name));
}

export function vectorNames(set: 'rfc4475' | 'rfc5118'): string[] {
  return readdirSync(join(VECTOR_DIR, set))
    .map((file) => file.replace(/\.dat$/, ''))
    .sort();
}

/** Every vector as [set/name, bytes]. */
export function allVectors(): Array<[string, Buffer]> {
  return [
    ...vectorNames('rfc4475').map((name): [string, Buffer] => [`rfc4475/${name}`, rfc4475(name)]),
    ...vectorNames('rfc5118').map((name): [string, Buffer] => [`rfc5118/${name}`, rfc5118(name)]),
  ];
}
