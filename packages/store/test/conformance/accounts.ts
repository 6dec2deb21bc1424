import { applyProvisioning } from '@telekommune/pbx';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ApiTokenRepository,
  SqlAccountRepository,
  SqlProvisioningRepository,
  SqlSessionRepository,
  type Store,
} from '../../src/index.js';
import type { StoreFactory } from '../fresh-store.js';

async function withTenant(store: Store, id = 'acme'): Promise<void> {
  const outcome = await applyProvisioning(
    {
      tenants: [
        {
          id,
          name: id,
          domain: `${id}.test`,
          extensions: [
            { number: '1001', name: 'Alice', password: 's3cret-1001', dnd: false, ringTime_s: 25 },
          ],
          ringGroups: [],
        },
      ],
    },
    new SqlProvisioningRepository(store),
  );
  expect(outcome.ok).toBe(true);
}

const alice = {
  username: 'alice',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
  role: 'user' as const,
  tenantId: 'acme',
  extension: '1001',
  personId: null,
  displayName: 'Alice Example',
};

/** Accounts, sessions and scoped API tokens: the same on every back end. */
export function accountsConformance(factory: StoreFactory): void {
  describe(`accounts on ${factory.name}`, () => {
    afterAll(() => factory.cleanup());

    it('creates an account, refuses a duplicate username, and finds it by name and id', async () => {
      const store = await factory.open();
      await withTenant(store);
      const accounts = new SqlAccountRepository(store);
      const created = await accounts.create(alice);
      expect(created.ok).toBe(true);
      if (!created.ok) return;
      expect(created.account).toMatchObject({
        username: 'alice',
        role: 'user',
        tenantId: 'acme',
        extension: '1001',
      });
      expect(await accounts.create({ ...alice, displayName: 'Other' })).toEqual({
        ok: false,
        code: 'DUPLICATE',
      });
      expect(await accounts.findByUsername('alice')).toEqual(created.account);
      expect(await accounts.get(created.account.id)).toEqual(created.account);
      expect(await accounts.passwordHash(created.account.id)).toBe(alice.passwordHash);
      expect(await accounts.count()).toBe(1);
    });

    it('lists by tenant, updates, changes the password and deletes', async () => {
      const store = await factory.open();
      await withTenant(store, 'acme');
      await withTenant(store, 'beta');
      const accounts = new SqlAccountRepository(store);
      await accounts.create(alice);
      await accounts.create({
        ...alice,
        username: 'bert',
        tenantId: 'beta',
        role: 'tenant_admin',
        extension: null,
      });
      await accounts.create({
        ...alice,
        username: 'olga',
        tenantId: null,
        extension: null,
        role: 'operator',
      });
      expect((await accounts.list()).map((a) => a.username)).toEqual(['alice', 'bert', 'olga']);
      expect((await accounts.list({ tenantId: 'beta' })).map((a) => a.username)).toEqual(['bert']);
      const bert = (await accounts.findByUsername('bert'))!;
      const updated = await accounts.update(bert.id, { displayName: 'Bert B.', personId: 'p-7' });
      expect(updated).toMatchObject({ displayName: 'Bert B.', personId: 'p-7', extension: null });
      expect(await accounts.update('nobody', { displayName: 'x' })).toBeUndefined();
      expect(await accounts.setPasswordHash(bert.id, '$argon2id$new')).toBe(true);
      expect(await accounts.passwordHash(bert.id)).toBe('$argon2id$new');
      expect(await accounts.delete(bert.id)).toBe(true);
      expect(await accounts.delete(bert.id)).toBe(false);
      expect(await accounts.get(bert.id)).toBeUndefined();
    });

    it('removes a tenant’s accounts with the tenant', async () => {
      const store = await factory.open();
      await withTenant(store);
      const accounts = new SqlAccountRepository(store);
      await accounts.create(alice);
      await new SqlProvisioningRepository(store).deleteTenant('acme');
      expect(await accounts.findByUsername('alice')).toBeUndefined();
    });

    it('keeps sessions by secret hash, expires them, and ends them with the account', async () => {
      let now = new Date('2030-01-01T00:00:00.000Z');
      const clock = () => now;
      const store = await factory.open();
      await withTenant(store);
      const accounts = new SqlAccountRepository(store, clock);
      const sessions = new SqlSessionRepository(store, clock);
      const created = await accounts.create(alice);
      if (!created.ok) throw new Error('setup');
      const id = created.account.id;
      const one = await sessions.create({
        accountId: id,
        expiresAt: new Date('2030-01-01T01:00:00.000Z'),
        sourceAddress: '127.0.0.1',
        userAgent: 'test',
      });
      const two = await sessions.create({
        accountId: id,
        expiresAt: new Date('2030-01-02T00:00:00.000Z'),
        sourceAddress: '127.0.0.2',
        userAgent: 'x'.repeat(1000),
      });
      expect(two.session.userAgent).toHaveLength(255);
      expect(one.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await sessions.findBySecret(one.secret)).toEqual(one.session);
      expect(await sessions.findBySecret('not-a-secret')).toBeUndefined();
      expect(
        await sessions.findBySecret(one.secret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))),
      ).toBeUndefined();
      expect((await sessions.listForAccount(id)).map((s) => s.id).sort()).toEqual(
        [one.session.id, two.session.id].sort(),
      );
      now = new Date('2030-01-01T02:00:00.000Z');
      expect(await sessions.findBySecret(one.secret)).toBeUndefined();
      expect((await sessions.listForAccount(id)).map((s) => s.id)).toEqual([two.session.id]);
      await sessions.touch(two.session.id, new Date('2030-01-03T00:00:00.000Z'));
      expect((await sessions.findBySecret(two.secret))?.expiresAt).toBe('2030-01-03T00:00:00.000Z');
      expect(await sessions.deleteExpired()).toBe(1);
      expect(await sessions.delete('someone-else', two.session.id)).toBe(false);
      await accounts.delete(id);
      expect(await sessions.findBySecret(two.secret)).toBeUndefined();
    });

    it('ends all other sessions of an account', async () => {
      const store = await factory.open();
      await withTenant(store);
      const accounts = new SqlAccountRepository(store);
      const sessions = new SqlSessionRepository(store);
      const created = await accounts.create(alice);
      if (!created.ok) throw new Error('setup');
      const later = new Date(Date.now() + 3_600_000);
      const input = {
        accountId: created.account.id,
        expiresAt: later,
        sourceAddress: '::1',
        userAgent: 'ua',
      };
      const keep = await sessions.create(input);
      const drop = await sessions.create(input);
      expect(await sessions.deleteForAccount(created.account.id, keep.session.id)).toBe(1);
      expect(await sessions.findBySecret(keep.secret)).toBeDefined();
      expect(await sessions.findBySecret(drop.secret)).toBeUndefined();
    });

    it('stores token scopes, reads the legacy tenant scope, expires and revokes tokens', async () => {
      let now = new Date('2030-01-01T00:00:00.000Z');
      const store = await factory.open();
      await withTenant(store);
      const tokens = new ApiTokenRepository(store, () => now);
      const legacy = await tokens.create('tenant', 'old style', 'acme');
      const reader = await tokens.create('tenant:read', 'reader', 'acme', {
        expiresAt: new Date('2030-01-01T00:30:00.000Z'),
      });
      expect(await tokens.verify(legacy.token)).toMatchObject({ scope: 'tenant:admin', tenantId: 'acme' });
      expect(await tokens.verify(reader.token)).toMatchObject({ scope: 'tenant:read', lastUsedAt: null });
      expect((await tokens.get(reader.id))?.lastUsedAt).toBe('2030-01-01T00:00:00.000Z');
      expect((await tokens.list({ tenantId: 'acme' })).map((t) => t.id).sort()).toEqual(
        [legacy.id, reader.id].sort(),
      );
      now = new Date('2030-01-01T01:00:00.000Z');
      expect(await tokens.verify(reader.token)).toBeUndefined();
      expect(await tokens.revoke(legacy.id)).toBe(true);
      expect(await tokens.verify(legacy.token)).toBeUndefined();
    });
  });
}
