import {
  applyProvisioning,
  exportProvisioning,
  type ProvisioningDocument,
  provisioningDocumentSchema,
} from '@telekommune/pbx';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlProvisioningRepository } from '../../src/index.js';
import type { StoreFactory } from '../fresh-store.js';

/** A document as `apply` sees it after validation (defaults filled). */
function doc(input: unknown): ProvisioningDocument {
  return provisioningDocumentSchema.parse(input);
}

const acme = doc({
  tenants: [
    {
      id: 'acme',
      name: 'ACME Ltd',
      domain: 'acme.test',
      extensions: [
        { number: '1002', name: 'Bob Example', password: 's3cret-1002' },
        { number: '1001', name: 'Alice Example', password: 's3cret-1001' },
      ],
    },
  ],
});

/** Provisioning storage: what every back end must do the same way. */
export function provisioningConformance(factory: StoreFactory): void {
  describe(`provisioning on ${factory.name}`, () => {
    afterAll(() => factory.cleanup());

    it('creates tenants, then applying the same document changes nothing', async () => {
      const repo = new SqlProvisioningRepository(await factory.open());
      const first = await applyProvisioning(acme, repo);
      expect(first).toMatchObject({ ok: true, plan: [{ tenantId: 'acme', action: 'create' }] });
      const revision = await repo.configRevision();
      const second = await applyProvisioning(acme, repo);
      expect(second).toMatchObject({ ok: true, plan: [{ tenantId: 'acme', action: 'unchanged' }] });
      expect(await repo.configRevision()).toBe(revision);
    });

    it('exports what apply stored, sorted, and the export applies back unchanged', async () => {
      const repo = new SqlProvisioningRepository(await factory.open());
      await applyProvisioning(acme, repo);
      const exported = await exportProvisioning(repo);
      expect(exported?.tenants[0]?.extensions.map((e) => e.number)).toEqual(['1001', '1002']);
      expect(exported?.tenants[0]).toMatchObject({ id: 'acme', name: 'ACME Ltd', domain: 'acme.test' });
      const again = await applyProvisioning(exported!, repo);
      expect(again).toMatchObject({ ok: true, plan: [{ action: 'unchanged' }] });
    });

    it('updates: adds, changes and removes extensions to match the document', async () => {
      const repo = new SqlProvisioningRepository(await factory.open());
      await applyProvisioning(acme, repo);
      const next = doc({
        tenants: [
          {
            id: 'acme',
            name: 'ACME Limited',
            domain: 'acme.test',
            extensions: [
              { number: '1001', name: 'Alice Example', password: 'n3w-secret-1001' },
              { number: '1003', name: 'Carol Example', password: 's3cret-1003' },
            ],
          },
        ],
      });
      const outcome = await applyProvisioning(next, repo);
      expect(outcome.ok && outcome.plan[0]?.changes).toEqual([
        'name changed',
        'extension 1001 changed',
        'extension 1003 added',
        'extension 1002 removed',
      ]);
      expect(await repo.listTenants()).toEqual(next.tenants);
    });

    it('keeps settings beyond the core columns through a round trip', async () => {
      const repo = new SqlProvisioningRepository(await factory.open());
      const tenant = { ...acme.tenants[0]!, extra: { nested: [1, 'two'] } };
      await repo.saveTenants([tenant as never]);
      const [stored] = await repo.listTenants();
      expect(stored).toMatchObject({ extra: { nested: [1, 'two'] } });
    });

    it('refuses a domain that belongs to a tenant the document leaves out, applying nothing', async () => {
      const repo = new SqlProvisioningRepository(await factory.open());
      await applyProvisioning(acme, repo);
      const outcome = await applyProvisioning(
        doc({ tenants: [{ id: 'other', name: 'Other', domain: 'acme.test' }] }),
        repo,
      );
      expect(outcome).toEqual({
        ok: false,
        issues: [{ path: 'tenants[0].domain', message: 'domain acme.test belongs to tenant acme' }],
      });
      expect((await repo.listTenants()).map((t) => t.id)).toEqual(['acme']);
    });

    it('lets two tenants of one document swap domains', async () => {
      const repo = new SqlProvisioningRepository(await factory.open());
      const two = doc({
        tenants: [
          { id: 'a', name: 'A', domain: 'a.test' },
          { id: 'b', name: 'B', domain: 'b.test' },
        ],
      });
      await applyProvisioning(two, repo);
      const swapped = await applyProvisioning(
        doc({
          tenants: [
            { id: 'a', name: 'A', domain: 'b.test' },
            { id: 'b', name: 'B', domain: 'a.test' },
          ],
        }),
        repo,
      );
      expect(swapped.ok).toBe(true);
      expect((await repo.listTenants()).map((t) => [t.id, t.domain])).toEqual([
        ['a', 'b.test'],
        ['b', 'a.test'],
      ]);
    });

    it('deletes a tenant with its extensions', async () => {
      const store = await factory.open();
      const repo = new SqlProvisioningRepository(store);
      await applyProvisioning(acme, repo);
      expect(await repo.deleteTenant('acme')).toBe(true);
      expect(await repo.deleteTenant('acme')).toBe(false);
      expect(await repo.listTenants()).toEqual([]);
      const left = await store.db.selectFrom('extensions').selectAll().execute();
      expect(left).toEqual([]);
    });

    it('rolls back a failing save completely', async () => {
      const repo = new SqlProvisioningRepository(await factory.open());
      await applyProvisioning(acme, repo);
      const revision = await repo.configRevision();
      // The second tenant's domain collides with the first: the unique index fails mid-transaction.
      await expect(
        repo.saveTenants(
          doc({
            tenants: [
              { id: 'acme', name: 'Changed', domain: 'acme.test' },
              { id: 'bad', name: 'Bad', domain: 'acme2.test' },
            ],
          }).tenants.map((t) => (t.id === 'bad' ? { ...t, domain: 'acme.test' } : t)),
        ),
      ).rejects.toThrow();
      expect(await repo.listTenants()).toEqual(
        acme.tenants.map((t) => ({ ...t, extensions: [...t.extensions].reverse() })),
      );
      expect(await repo.configRevision()).toBe(revision);
    });
  });
}
