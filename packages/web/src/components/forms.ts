import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiFailure } from '../api/api-failure.js';

/**
 * Puts the server's per-field issues on the form's fields (the server is the
 * one validator); returns the issues no field took, for a banner.
 */
export function applyIssues<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fieldFor: (path: string) => Path<T> | undefined,
): unknown {
  if (!(error instanceof ApiFailure) || error.issues.length === 0) return error;
  const left = error.issues.filter((issue) => {
    // The server names a request body's fields `body.<field>`; forms name them bare.
    const field = fieldFor(issue.path) ?? fieldFor(issue.path.replace(/^body\./, ''));
    if (field) setError(field, { type: 'server', message: issue.message });
    return !field;
  });
  return left.length === 0 ? undefined : new ApiFailure(error.status, error.code, error.message, left);
}

/** A random password for a phone: 16 characters from an unambiguous alphabet. */
export function randomSecret(length = 16): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}
