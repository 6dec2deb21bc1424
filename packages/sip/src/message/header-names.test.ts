import { describe, expect, it } from 'vitest';
import { headerName, headerNameAt } from './header-names.js';

describe('header names', () => {
  const known = [
    'Via',
    'v',
    'CALL-ID',
    'call-id',
    'i',
    'Content-Length',
    'l',
    'WWW-Authenticate',
    'p-asserted-identity',
  ];
  const unknown = ['X-Custom', 'x', 'Viaa', 'Vi', 'Call_ID', 'From-', 'q', 'Max-Forwards2'];

  it.each([...known, ...unknown])('resolves %s in place as from its own string', (name) => {
    const text = `junk ${name}: value`;
    expect(headerNameAt(text, 5, 5 + name.length)).toEqual(headerName(name));
  });

  it('writes known names in their usual spelling and expands compact forms', () => {
    expect(headerName('cAlL-iD')).toEqual({ key: 'call-id', name: 'Call-ID' });
    expect(headerName('m')).toEqual({ key: 'contact', name: 'Contact' });
    expect(headerName('X-Foo')).toEqual({ key: 'x-foo', name: 'X-Foo' });
  });
});
