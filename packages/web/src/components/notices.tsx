import type { ReactNode } from 'react';
import { ApiFailure } from '../api/client.js';

export function describeError(error: unknown): string {
  if (error instanceof ApiFailure) {
    const details = error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    return [error.message, ...details].join(' — ');
  }
  return error instanceof Error ? error.message : String(error);
}

/** An error, announced to screen readers as it appears. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  return (
    <p className="notice notice-error" role="alert">
      {describeError(error)}
    </p>
  );
}

/** A success or status message, announced politely. */
export function StatusNotice({ children }: { children: ReactNode }) {
  return (
    <p className="notice notice-ok" role="status">
      {children}
    </p>
  );
}

export function Loading() {
  return (
    <p className="muted" role="status">
      Loading…
    </p>
  );
}
