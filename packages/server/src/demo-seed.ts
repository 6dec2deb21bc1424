import { randomBytes, randomInt } from 'node:crypto';
import { applyProvisioning, provisioningDocumentSchema } from '@telekommune/pbx';
import {
  type ApiTokenRepository,
  getMeta,
  type SqlProvisioningRepository,
  type Store,
  setMeta,
} from '@telekommune/store';

export const demoTenant = { id: 'demo', name: 'Demo Organisation', domain: 'demo.localhost' } as const;
const demoExtensions = [
  { number: '1001', name: 'Alice Demo' },
  { number: '1002', name: 'Bob Demo' },
  { number: '1003', name: 'Carol Demo' },
] as const;

export interface DemoCredentials {
  readonly tenant: typeof demoTenant;
  readonly extensions: readonly {
    readonly number: string;
    readonly name: string;
    readonly password: string;
    /** The voicemail PIN, for listening with *97. */
    readonly voicemailPin: string;
  }[];
  readonly operatorToken: string;
}

/** A password a person can type into a phone: 16 characters from an unambiguous alphabet. */
export function generateSipPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/**
 * On the first start of an installation, creates the demo tenant with three
 * extensions (each with a voicemail box) and an operator API token. Returns the credentials once, to be
 * printed; later starts return undefined (even if the demo was deleted).
 */
export async function seedDemoOnce(
  store: Store,
  provisioning: SqlProvisioningRepository,
  tokens: ApiTokenRepository,
): Promise<DemoCredentials | undefined> {
  if ((await getMeta(store, 'demo_seeded_at')) !== undefined) return undefined;
  const existing = await provisioning.listTenants();
  if (existing.some((t) => t.id === demoTenant.id || t.domain === demoTenant.domain)) {
    await setMeta(store, 'demo_seeded_at', new Date().toISOString());
    return undefined;
  }
  const extensions = demoExtensions.map((e) => ({
    ...e,
    password: generateSipPassword(),
    voicemailPin: String(1000 + randomInt(9000)),
  }));
  const document = provisioningDocumentSchema.parse({
    tenants: [
      {
        ...demoTenant,
        extensions: extensions.map(({ voicemailPin, ...e }) => ({ ...e, voicemail: { pin: voicemailPin } })),
      },
    ],
  });
  const outcome = await applyProvisioning(document, provisioning);
  if (!outcome.ok) throw new Error(`demo seed failed: ${outcome.issues.map((i) => i.message).join('; ')}`);
  const { token } = await tokens.create('operator', 'created at first start');
  await setMeta(store, 'demo_seeded_at', new Date().toISOString());
  return { tenant: demoTenant, extensions, operatorToken: token };
}
