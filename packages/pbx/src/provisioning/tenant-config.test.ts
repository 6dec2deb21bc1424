import { describe, expect, it } from 'vitest';
import { validateProvisioningDocument } from './validate.js';

function tenant(extra: Record<string, unknown> = {}, extensions: unknown[] = []) {
  return {
    tenants: [
      {
        id: 'acme',
        name: 'ACME',
        domain: 'ACME.test',
        extensions: [
          { number: '1001', name: 'Alice', password: 'alice-secret' },
          { number: '1002', name: 'Bob', password: 'bob-secret-1' },
          ...extensions,
        ],
        ...extra,
      },
    ],
  };
}

function issues(input: unknown) {
  const result = validateProvisioningDocument(input);
  return result.ok ? [] : result.issues;
}

describe('the provisioning schema', () => {
  it('accepts the minimal format and fills defaults', () => {
    const result = validateProvisioningDocument(tenant());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.tenants[0]?.domain).toBe('acme.test');
    expect(result.value.tenants[0]?.extensions[0]).toEqual({
      number: '1001',
      name: 'Alice',
      password: 'alice-secret',
      dnd: false,
      ringTime_s: 25,
    });
    expect(result.value.tenants[0]?.ringGroups).toEqual([]);
  });

  it('refuses an empty document and a non-list', () => {
    expect(issues(null)).toEqual([{ path: '', message: 'the document is empty' }]);
    expect(issues({ tenants: 'x' })[0]?.path).toBe('tenants');
  });

  it('names the path of a bad extension number', () => {
    expect(issues(tenant({}, [{ number: '1', name: 'X', password: 'long-enough' }]))).toEqual([
      { path: 'tenants[0].extensions[2].number', message: 'expected 2 to 6 digits' },
    ]);
  });

  it('refuses duplicate extensions, tenants and domains', () => {
    const doc = tenant({}, [{ number: '1001', name: 'Again', password: 'long-enough' }]);
    const second = { ...doc.tenants[0], extensions: [] };
    const all = issues({ tenants: [...doc.tenants, second] });
    expect(all).toContainEqual({
      path: 'tenants[0].extensions[2].number',
      message: 'duplicate extension 1001 (also extensions[0])',
    });
    expect(all).toContainEqual({
      path: 'tenants[1].id',
      message: 'duplicate tenant id acme (also tenants[0])',
    });
    expect(all).toContainEqual({
      path: 'tenants[1].domain',
      message: 'duplicate domain acme.test (also tenants[0])',
    });
  });

  it('validates forwarding destinations and their references', () => {
    const doc = tenant({}, [
      {
        number: '1003',
        name: 'Carol',
        password: 'carol-secret',
        forward: { busy: 'voicemail:1003', noAnswer: '1002', unreachable: 'ringgroup:nope', always: 'fax:1' },
      },
    ]);
    expect(issues(doc)).toEqual([
      {
        path: 'tenants[0].extensions[2].forward.always',
        message:
          'expected extension:N, ringgroup:ID, voicemail:BOX, ivr:ID, number:+E164, conference:ID or hangup',
      },
    ]);
    const doc2 = tenant({}, [
      {
        number: '1003',
        name: 'Carol',
        password: 'carol-secret',
        forward: { unreachable: 'ringgroup:nope', busy: '1009' },
      },
    ]);
    expect(issues(doc2)).toEqual([
      { path: 'tenants[0].extensions[2].forward.busy', message: 'no extension 1009 in this tenant' },
      { path: 'tenants[0].extensions[2].forward.unreachable', message: 'no ring group nope in this tenant' },
    ]);
  });

  it('normalises a bare extension number destination', () => {
    const result = validateProvisioningDocument(
      tenant({}, [
        { number: '1003', name: 'Carol', password: 'carol-secret', forward: { noAnswer: '1002' } },
      ]),
    );
    expect(result.ok && result.value.tenants[0]?.extensions[2]?.forward).toEqual({
      noAnswer: 'extension:1002',
    });
  });

  it('accepts ring groups and checks members, numbers and final destinations', () => {
    const ok = validateProvisioningDocument(
      tenant({
        ringGroups: [
          {
            id: 'sales',
            name: 'Sales',
            number: '600',
            strategy: 'hunt',
            members: ['1001', { extension: '1002', ringTime_s: 10 }],
            finally: 'voicemail:1001',
          },
        ],
      }),
    );
    expect(ok.ok && ok.value.tenants[0]?.ringGroups[0]).toEqual({
      id: 'sales',
      name: 'Sales',
      number: '600',
      strategy: 'hunt',
      members: [{ extension: '1001' }, { extension: '1002', ringTime_s: 10 }],
      ringTime_s: 20,
      timeout_s: 60,
      finally: 'voicemail:1001',
    });
    const bad = issues(
      tenant({
        ringGroups: [
          { id: 'a', name: 'A', number: '1001', strategy: 'ring-all', members: ['1009'] },
          { id: 'a', name: 'B', strategy: 'hunt', members: [], finally: 'ivr:main' },
        ],
      }),
    );
    expect(bad).toEqual(
      expect.arrayContaining([
        {
          path: 'tenants[0].ringGroups[0].strategy',
          message: 'expected one of simultaneous, hunt, roundRobin',
        },
        { path: 'tenants[0].ringGroups[1].members', message: 'expected at least one member' },
      ]),
    );
    const refs = issues(
      tenant({
        ringGroups: [
          { id: 'a', name: 'A', number: '1001', strategy: 'hunt', members: ['1009'] },
          { id: 'a', name: 'B', strategy: 'hunt', members: ['1001'], finally: 'ivr:main' },
        ],
      }),
    );
    expect(refs).toEqual([
      { path: 'tenants[0].ringGroups[0].number', message: '1001 is already an extension' },
      { path: 'tenants[0].ringGroups[0].members[0]', message: 'no extension 1009 in this tenant' },
      { path: 'tenants[0].ringGroups[1].id', message: 'duplicate ring group a (also ringGroups[0])' },
      { path: 'tenants[0].ringGroups[1].finally', message: 'no IVR menu main in this tenant' },
    ]);
  });

  it('refuses unknown keys so typos cannot pass silently', () => {
    expect(issues(tenant({ colour: 'red' }))).toEqual([
      { path: 'tenants[0]', message: 'Unrecognized key: "colour"' },
    ]);
  });
});
