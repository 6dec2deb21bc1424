import { applyProvisioning, provisioningDocumentSchema, type VoicemailMessage } from '@telekommune/pbx';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlProvisioningRepository, SqlVoiceRepository, type Store } from '../../src/index.js';
import type { StoreFactory } from '../fresh-store.js';

async function withTenants(store: Store): Promise<void> {
  const extensions = [{ number: '1001', name: 'A', password: 'long-enough', voicemail: { pin: '1234' } }];
  const document = provisioningDocumentSchema.parse({
    tenants: [
      { id: 'acme', name: 'ACME', domain: 'acme.test', extensions },
      { id: 'beta', name: 'Beta', domain: 'beta.test', extensions },
    ],
  });
  await applyProvisioning(document, new SqlProvisioningRepository(store));
}

function message(id: string, overrides: Partial<VoicemailMessage> = {}): VoicemailMessage {
  return {
    id,
    tenantId: 'acme',
    box: '1001',
    folder: 'new',
    caller: '1002',
    callerName: 'Bob',
    receivedAt: '2025-03-01T10:00:00.000Z',
    duration_ms: 4200,
    heardAt: undefined,
    file: `${id}.wav`,
    ...overrides,
  };
}

/** Voicemail messages, PIN lockout and tenant prompts: one contract for every back end. */
export function voiceConformance(factory: StoreFactory): void {
  describe(`voice repository (${factory.name})`, () => {
    afterAll(() => factory.cleanup());

    it('stores a message once, lists by box and folder, oldest first', async () => {
      const store = await factory.open();
      await withTenants(store);
      const repo = new SqlVoiceRepository(store);
      expect(await repo.insertMessage(message('m2', { receivedAt: '2025-03-02T10:00:00.000Z' }))).toBe(true);
      expect(await repo.insertMessage(message('m1'))).toBe(true);
      // Recovery reports a finished message again: the second insert changes nothing.
      expect(await repo.insertMessage(message('m1', { duration_ms: 1 }))).toBe(false);
      expect(await repo.insertMessage(message('b1', { tenantId: 'beta' }))).toBe(true);
      const listed = await repo.listMessages('acme', '1001');
      expect(listed.map((m) => m.id)).toEqual(['m1', 'm2']);
      expect(listed[0]).toEqual(message('m1'));
      expect(await repo.listMessages('acme', '1001', 'saved')).toEqual([]);
      expect(await repo.countMessages('acme', '1001')).toEqual({ new: 2, old: 0 });
    });

    it('marks heard once, moves between folders, deletes; tenants stay apart', async () => {
      const store = await factory.open();
      await withTenants(store);
      const repo = new SqlVoiceRepository(store);
      await repo.insertMessage(message('m1'));
      await repo.insertMessage(message('m2'));
      expect(await repo.getMessage('beta', 'm1')).toBeUndefined();
      expect(await repo.updateMessage('beta', 'm1', { folder: 'saved' })).toBeUndefined();
      const heard = await repo.updateMessage('acme', 'm1', { heardAt: '2025-03-03T00:00:00.000Z' });
      expect(heard?.heardAt).toBe('2025-03-03T00:00:00.000Z');
      const again = await repo.updateMessage('acme', 'm1', { heardAt: '2025-03-04T00:00:00.000Z' });
      expect(again?.heardAt).toBe('2025-03-03T00:00:00.000Z');
      expect(await repo.countMessages('acme', '1001')).toEqual({ new: 1, old: 1 });
      expect((await repo.updateMessage('acme', 'm2', { folder: 'saved' }))?.folder).toBe('saved');
      expect(await repo.countMessages('acme', '1001')).toEqual({ new: 0, old: 2 });
      expect(await repo.deleteMessage('beta', 'm2')).toBeUndefined();
      expect((await repo.deleteMessage('acme', 'm2'))?.id).toBe('m2');
      expect(await repo.deleteMessage('acme', 'm2')).toBeUndefined();
      expect((await repo.listMessages('acme')).map((m) => m.id)).toEqual(['m1']);
    });

    it('locks a box after repeated wrong PINs and starts over once the lock runs out', async () => {
      const store = await factory.open();
      await withTenants(store);
      const repo = new SqlVoiceRepository(store);
      const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString();
      expect(await repo.pinState('acme', '1001')).toEqual({ failures: 0, lockedUntil: undefined });
      await repo.recordPinFailure('acme', '1001', at(0), 3, 60_000);
      await repo.recordPinFailure('acme', '1001', at(1), 3, 60_000);
      const locked = await repo.recordPinFailure('acme', '1001', at(2), 3, 60_000);
      expect(locked).toEqual({ failures: 3, lockedUntil: at(62) });
      expect(await repo.pinState('beta', '1001')).toEqual({ failures: 0, lockedUntil: undefined });
      const after = await repo.recordPinFailure('acme', '1001', at(63), 3, 60_000);
      expect(after).toEqual({ failures: 1, lockedUntil: undefined });
      await repo.clearPinFailures('acme', '1001');
      expect(await repo.pinState('acme', '1001')).toEqual({ failures: 0, lockedUntil: undefined });
    });

    it('keeps tenant prompts with their audio, replaces by name', async () => {
      const store = await factory.open();
      await withTenants(store);
      const repo = new SqlVoiceRepository(store);
      const prompt = {
        tenantId: 'acme',
        name: 'welcome',
        source: 'upload' as const,
        text: undefined,
        duration_ms: 1500,
        sha256: 'a'.repeat(64),
        createdAt: '2025-03-01T10:00:00.000Z',
      };
      await repo.putPrompt(prompt, new Uint8Array([1, 2, 3]));
      await repo.putPrompt({ ...prompt, duration_ms: 2000 }, new Uint8Array([4, 5, 6, 7]));
      expect(await repo.listPrompts('acme')).toEqual([{ ...prompt, duration_ms: 2000 }]);
      expect([...((await repo.getPromptAudio('acme', 'welcome')) ?? [])]).toEqual([4, 5, 6, 7]);
      expect(await repo.getPromptAudio('beta', 'welcome')).toBeUndefined();
      expect(await repo.deletePrompt('beta', 'welcome')).toBe(false);
      expect(await repo.deletePrompt('acme', 'welcome')).toBe(true);
      expect(await repo.listPrompts('acme')).toEqual([]);
    });
  });
}
