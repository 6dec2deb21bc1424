import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import { api, type Ok, unwrap } from '../api/client.js';
import { DataTable } from './data-table.js';
import { ErrorNotice } from './notices.js';
import { useLoad } from './use-load.js';

type LiveCall = Ok<'/api/calls', 'get'>[number];
const column = createColumnHelper<LiveCall>();
const refresh_ms = 5_000;

function since(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Calls in progress, refreshed every few seconds. */
export function LiveCalls({ showTenant }: { showTenant: boolean }) {
  const calls = useLoad(() => unwrap(api.GET('/api/calls', {})), []);
  const [now, setNow] = useState(Date.now());
  const { reload } = calls;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload changes identity every render
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
      reload();
    }, refresh_ms);
    return () => clearInterval(timer);
  }, []);
  const columns = [
    ...(showTenant ? [column.accessor('tenantId', { header: 'Tenant' })] : []),
    column.accessor('caller', { header: 'From' }),
    column.accessor('callee', { header: 'To' }),
    column.accessor((c) => (c.state === 'answered' ? `answered by ${c.answeredBy ?? '—'}` : 'ringing'), {
      id: 'state',
      header: 'State',
    }),
    column.accessor((c) => since(c.answer ?? c.start, now), { id: 'for', header: 'For' }),
    column.accessor(
      (c) =>
        c.media
          ? `${c.media.held ? 'on hold; ' : ''}${c.media.callerPacketsIn}/${c.media.calleePacketsIn} packets, ${c.media.callerLost + c.media.calleeLost} lost`
          : 'direct',
      { id: 'media', header: 'Media' },
    ),
  ];
  return (
    <>
      <ErrorNotice error={calls.error} />
      {calls.data ? (
        <DataTable
          caption="Calls now"
          columns={columns as never}
          data={calls.data}
          empty="No calls right now."
        />
      ) : null}
    </>
  );
}
