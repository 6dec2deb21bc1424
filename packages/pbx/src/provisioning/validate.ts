import type { z } from 'zod';
import { type ProvisioningDocument, provisioningDocumentSchema } from './tenant-config.js';

/** One problem in a provisioning document: where it is and what is wrong. */
export interface ConfigIssue {
  /** A path such as `tenants[0].extensions[2].number`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** Formats a zod issue path the way operators read it: `tenants[0].extensions[2].number`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

export function issuesOf(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** Validates a parsed (YAML or JSON) provisioning document. */
export function validateProvisioningDocument(input: unknown): ValidationResult<ProvisioningDocument> {
  if (input === null || input === undefined) {
    return { ok: false, issues: [{ path: '', message: 'the document is empty' }] };
  }
  const result = provisioningDocumentSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: issuesOf(result.error) };
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('\n');
}
