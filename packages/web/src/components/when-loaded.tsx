import type { ReactNode } from 'react';
import { ErrorNotice, Loading } from './notices.js';
import type { Loaded } from './use-load.js';

/**
 * What a page shows of something it loads: "Loading…" until it arrives
 * (nothing when loading failed: the page shows that error), then
 * `children(data)`; or, when the data lacks what the page is about, the
 * `missing` message as an error.
 */
export function WhenLoaded<T>({
  load,
  missing,
  children,
}: {
  load: Loaded<T>;
  missing?: string | undefined;
  children: (data: T) => ReactNode;
}) {
  if (!load.data) return load.error ? null : <Loading />;
  if (missing !== undefined) return <ErrorNotice error={new Error(missing)} />;
  return <>{children(load.data)}</>;
}
