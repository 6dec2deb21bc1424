import { describe, expect, it } from 'vitest';
import { ConnectionTable, remoteKey } from './connection-table.js';
import { requireBindAddress } from './listening.js';
import type { Flow } from './transport.js';

function connection(
  table: ConnectionTable<{ id: string; key: string; flow: Flow }>,
  address: string,
  port: number,
) {
  const id = table.nextId();
  const flow: Flow = {
    protocol: 'tcp',
    remoteAddress: address,
    remotePort: port,
    localAddress: '127.0.0.1',
    localPort: 5060,
    connectionId: id,
  };
  return { id, key: remoteKey(address, port), flow };
}

describe('ConnectionTable', () => {
  it('finds a connection by its id first, else by the peer’s address and port in any spelling', () => {
    const table = new ConnectionTable('tcp');
    const a = connection(table, '192.0.2.1', 5060);
    const b = connection(table, '192.0.2.2', 5060);
    table.add(a);
    table.add(b);
    expect(a.id).toMatch(/^tcp-\d+$/);
    expect(a.id).not.toBe(b.id);
    expect(table.find({ address: '192.0.2.2', port: 5060, connectionId: a.id })).toBe(a);
    expect(table.find({ address: '::ffff:192.0.2.2', port: 5060 })).toBe(b);
    expect(table.find({ address: '192.0.2.2', port: 5061 })).toBeUndefined();
    expect(table.find({ address: '192.0.2.3', port: 5060, connectionId: 'tcp-0' })).toBeUndefined();
  });

  it('keeps the newer of two connections to one peer when the older closes', () => {
    const table = new ConnectionTable('tcp');
    const older = connection(table, '192.0.2.1', 5060);
    const newer = connection(table, '192.0.2.1', 5060);
    table.add(older);
    table.add(newer);
    expect(table.size).toBe(2);
    table.remove(older);
    expect(table.size).toBe(1);
    expect(table.has(older.id)).toBe(false);
    expect(table.find({ address: '192.0.2.1', port: 5060 })).toBe(newer);
    table.remove(newer);
    expect(table.find({ address: '192.0.2.1', port: 5060 })).toBeUndefined();
    expect([...table.values()]).toEqual([]);
  });
});

describe('requireBindAddress', () => {
  it('takes IP literals and refuses names', () => {
    expect(() => requireBindAddress('127.0.0.1')).not.toThrow();
    expect(() => requireBindAddress('::')).not.toThrow();
    expect(() => requireBindAddress('localhost')).toThrow(/bind address localhost is not an IP address/);
    expect(() => requireBindAddress('', 'UDP bind address')).toThrow(/^UDP bind address {2}is not/);
  });
});
