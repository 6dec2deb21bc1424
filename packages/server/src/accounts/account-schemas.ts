import { accountRoles } from '@telekommune/store';
import { z } from 'zod';
import { passwordLimits } from './passwords.js';

/** Lowercase letters, digits and . _ @ - ; an e-mail address works as a user name. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{1,63}$/, {
    error: 'expected 2 to 64 lowercase letters, digits, dots, underscores, @ or hyphens',
  });

export const passwordSchema = z
  .string()
  .min(passwordLimits.minLength, { error: `expected at least ${passwordLimits.minLength} characters` })
  .max(passwordLimits.maxLength, { error: `expected at most ${passwordLimits.maxLength} characters` });

const extensionNumber = z.string().regex(/^[0-9]{2,6}$/, { error: 'expected 2 to 6 digits' });
const personId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, { error: 'expected a commune person id' });

export const accountRoleSchema = z.enum(accountRoles);

/** An account as the API shows it (never the password hash). */
export const accountViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: accountRoleSchema,
  tenantId: z.string().nullable(),
  extension: z.string().nullable(),
  personId: z.string().nullable(),
  displayName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  passwordChangedAt: z.string(),
});

export const newAccountSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  role: accountRoleSchema,
  displayName: z.string().trim().min(1, { error: 'expected a name' }).max(120),
  tenantId: z.string().nullable().optional(),
  extension: extensionNumber.nullable().optional(),
  personId: personId.nullable().optional(),
});

export const accountPatchSchema = z.strictObject({
  displayName: z.string().trim().min(1, { error: 'expected a name' }).max(120).optional(),
  extension: extensionNumber.nullable().optional(),
  personId: personId.nullable().optional(),
  /** An administrator setting a new password; ends the account's sessions. */
  password: passwordSchema.optional(),
});

export type NewAccountInput = z.output<typeof newAccountSchema>;
export type AccountPatchInput = z.output<typeof accountPatchSchema>;
