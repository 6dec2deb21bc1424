import { endianness } from 'node:os';
import type { RateTable } from '@telekommune/pbx';

/**
 * A slice of a rate table as bytes, for storage:
 *
 *   "TKR1" | u32 count | u32 prefix bytes | u32 name count | u32 name bytes
 *   prefixes (UTF-8, '\n'-separated) | names (UTF-8, '\n'-separated, distinct)
 *   u32[count] name index | i64[count] rate micro | i64[count] connect micro
 *   f64[count] effective ms | u16[count] initial s | u16[count] increment s
 *
 * Integers little-endian. Destination names never contain line breaks (the
 * importer refuses control characters).
 */
const magic = 'TKR1';
const headerBytes = 20;

if (endianness() !== 'LE') throw new Error('the rate deck codec needs a little-endian machine');

function bytesOf(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

export function encodeRateChunk(table: RateTable, start: number, end: number): Buffer {
  const count = end - start;
  const prefixes = Buffer.from(table.prefixes.slice(start, end).join('\n'), 'utf8');
  const nameIds = new Map<string, number>();
  const nameIndex = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const name = table.destinations[start + i] as string;
    let id = nameIds.get(name);
    if (id === undefined) {
      id = nameIds.size;
      nameIds.set(name, id);
    }
    nameIndex[i] = id;
  }
  const names = Buffer.from([...nameIds.keys()].join('\n'), 'utf8');
  const header = Buffer.alloc(headerBytes);
  header.write(magic, 0, 'latin1');
  header.writeUInt32LE(count, 4);
  header.writeUInt32LE(prefixes.length, 8);
  header.writeUInt32LE(nameIds.size, 12);
  header.writeUInt32LE(names.length, 16);
  return Buffer.concat([
    header,
    prefixes,
    names,
    bytesOf(nameIndex),
    bytesOf(table.rateMicro.subarray(start, end)),
    bytesOf(table.connectMicro.subarray(start, end)),
    bytesOf(table.effectiveMs.subarray(start, end)),
    bytesOf(table.initial.subarray(start, end)),
    bytesOf(table.increment.subarray(start, end)),
  ]);
}

/** Appends a chunk's rows to a table; throws on a corrupt chunk. */
export function decodeRateChunk(data: Uint8Array, into: RateTable): number {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buffer.length < headerBytes || buffer.toString('latin1', 0, 4) !== magic) {
    throw new Error('corrupt rate deck chunk: bad header');
  }
  const count = buffer.readUInt32LE(4);
  const prefixBytes = buffer.readUInt32LE(8);
  const nameCount = buffer.readUInt32LE(12);
  const nameBytes = buffer.readUInt32LE(16);
  const expected = headerBytes + prefixBytes + nameBytes + count * (4 + 8 + 8 + 8 + 2 + 2);
  if (buffer.length !== expected) throw new Error('corrupt rate deck chunk: wrong length');
  let at = headerBytes;
  const prefixText = buffer.toString('utf8', at, at + prefixBytes);
  at += prefixBytes;
  const nameText = buffer.toString('utf8', at, at + nameBytes);
  at += nameBytes;
  const prefixes = count === 0 ? [] : prefixText.split('\n');
  const names = nameCount === 0 ? [] : nameText.split('\n');
  if (prefixes.length !== count || names.length !== nameCount)
    throw new Error('corrupt rate deck chunk: bad strings');
  // Copies (slice) so every typed array starts aligned.
  const take = (size: number) => {
    const part = buffer.buffer.slice(buffer.byteOffset + at, buffer.byteOffset + at + size * count);
    at += size * count;
    return part;
  };
  const nameIndex = new Uint32Array(take(4));
  const rate = new BigInt64Array(take(8));
  const connect = new BigInt64Array(take(8));
  const effective = new Float64Array(take(8));
  const initial = new Uint16Array(take(2));
  const increment = new Uint16Array(take(2));
  for (let i = 0; i < count; i++) {
    const name = names[nameIndex[i] as number];
    if (name === undefined) throw new Error('corrupt rate deck chunk: bad name index');
    into.push({
      prefix: prefixes[i] as string,
      destination: name,
      rate_micro_per_min: rate[i] as bigint,
      connect_micro: connect[i] as bigint,
      effective_ms: effective[i] as number,
      initial_s: initial[i] as number,
      increment_s: increment[i] as number,
    });
  }
  return count;
}
