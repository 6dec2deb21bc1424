import { describe, expect, it } from 'vitest';
import { validateProvisioningDocument } from '../provisioning/validate.js';

function document(extra: Record<string, unknown>) {
  return {
    tenants: [
      {
        id: 'acme',
        name: 'ACME',
        domain: 'acme.test',
        extensions: [{ number: '1001', name: 'Alice', password: 'alice-secret' }],
        ...extra,
      },
    ],
  };
}

function issues(input: unknown) {
  const result = validateProvisioningDocument(input);
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('conference rooms in the provisioning format', () => {
  it('accepts rooms with a number, PIN and limit, fills the limit, and lets DIDs and menus point at them', () => {
    const result = validateProvisioningDocument(
      document({
        conferences: [
          { id: 'standup', name: 'Stand-up', number: '800', pin: '1234', maxParticipants: 5 },
          { id: 'open', name: 'Open room' },
        ],
        ivrs: [{ id: 'main', name: 'Main', options: { '8': 'conference:standup' } }],
        extensions: [
          {
            number: '1001',
            name: 'Alice',
            password: 'alice-secret',
            forward: { always: 'conference:open' },
          },
        ],
      }),
    );
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.value.tenants[0]?.conferences).toEqual([
      { id: 'standup', name: 'Stand-up', number: '800', pin: '1234', maxParticipants: 5 },
      { id: 'open', name: 'Open room', maxParticipants: 20 },
    ]);
  });

  it('refuses bad PINs, limits, ids and unknown fields, each at its path', () => {
    const found = issues(
      document({
        conferences: [
          { id: 'a', name: 'A', pin: '12' },
          { id: 'b', name: 'B', pin: 1234 },
          { id: 'c', name: 'C', maxParticipants: 1 },
          { id: 'd', name: 'D', maxParticipants: 101 },
          { id: 'Bad_Id', name: 'E' },
          { id: 'f', name: 'F', number: '8' },
          { id: 'g', name: 'G', moderator: true },
        ],
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tenants\[0\]\.conferences\[0\].pin: expected a PIN of 4 to 12 digits/),
        expect.stringMatching(/^tenants\[0\]\.conferences\[1\].pin: expected a PIN/),
        expect.stringMatching(/^tenants\[0\]\.conferences\[2\].maxParticipants: /),
        expect.stringMatching(/^tenants\[0\]\.conferences\[3\].maxParticipants: /),
        expect.stringMatching(/^tenants\[0\]\.conferences\[4\].id: expected 1 to 32 lowercase/),
        expect.stringMatching(/^tenants\[0\]\.conferences\[5\].number: expected 2 to 6 digits/),
        expect.stringMatching(/^tenants\[0\]\.conferences\[6\]: /),
      ]),
    );
  });

  it('refuses duplicate ids, numbers that clash, and destinations to rooms that do not exist', () => {
    const found = issues(
      document({
        conferences: [
          { id: 'standup', name: 'A', number: '1001' },
          { id: 'standup', name: 'B', number: '500' },
        ],
        ivrs: [{ id: 'main', name: 'Main', number: '500', options: { '1': 'conference:nowhere' } }],
        dids: [{ number: '+4930123456', destination: 'conference:gone' }],
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        'tenants[0].conferences[0].number: 1001 is already in use',
        'tenants[0].conferences[1].number: 500 is already in use',
        'tenants[0].conferences[1].id: duplicate conference room standup',
        'tenants[0].ivrs[0].options.1: no conference room nowhere in this tenant',
        'tenants[0].dids[0].destination: no conference room gone in this tenant',
      ]),
    );
    expect(
      issues(document({ dids: [{ number: '+4930123456', destination: 'conference:Not Valid' }] })),
    ).toEqual([expect.stringMatching(/destination: expected conference:ID/)]);
  });
});
