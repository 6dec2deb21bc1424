import { describe, expect, it } from 'vitest';
import { carrierConfigSchema } from './carrier-config.js';
import { CarrierSources } from './carrier-source.js';

const carrier = (id: string, auth: object, enabled = true) =>
  carrierConfigSchema.parse({ id, name: id, host: `${id}.example`, auth, enabled });

describe('CarrierSources', () => {
  const sources = new CarrierSources([
    carrier('alpha', { mode: 'ip', allow: ['198.51.100.0/28', '2001:db8::/32'] }),
    carrier('beta', { mode: 'ip', allow: ['203.0.113.7'] }),
    carrier('gamma', { mode: 'register', username: 'u', password: 'p', allow: ['192.0.2.0/24'] }),
    carrier('delta', { mode: 'register', username: 'u', password: 'p' }),
    carrier('off', { mode: 'ip', allow: ['10.0.0.0/8'] }, false),
  ]);

  it('finds the carrier by source address, IPv4, IPv6 and IPv4-mapped', () => {
    expect(sources.carrierFor('198.51.100.14')?.id).toBe('alpha');
    expect(sources.carrierFor('2001:db8::5')?.id).toBe('alpha');
    expect(sources.carrierFor('203.0.113.7')?.id).toBe('beta');
    expect(sources.carrierFor('::ffff:203.0.113.7')?.id).toBe('beta');
    expect(sources.carrierFor('192.0.2.200')?.id).toBe('gamma');
  });

  it('knows nothing of other addresses or disabled carriers', () => {
    expect(sources.carrierFor('198.51.100.16')).toBeUndefined();
    expect(sources.carrierFor('203.0.113.8')).toBeUndefined();
    expect(sources.carrierFor('10.1.2.3')).toBeUndefined();
    expect(sources.carrierFor('not an address')).toBeUndefined();
  });
});
