import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { DataTable } from '../components/data-table.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page } from '../components/page.js';
import { TenantSelect } from '../components/tenant-select.js';
import { useLoad } from '../components/use-load.js';

type Registration = Ok<'/api/registrations', 'get'>[number];
const column = createColumnHelper<Registration>();
const refresh_ms = 10_000;

export function RegistrationsPage() {
  const me = useMe();
  const [tenant, setTenant] = useState('');
  const registrations = useLoad(
    () => unwrap(api.GET('/api/registrations', { params: { query: tenant ? { tenant } : {} } })),
    [tenant],
  );
  const { reload } = registrations;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload changes identity every render
  useEffect(() => {
    const timer = setInterval(reload, refresh_ms);
    return () => clearInterval(timer);
  }, [tenant]);
  const columns = [
    column.accessor('tenantId', { header: 'Tenant' }),
    column.accessor('extension', { header: 'Extension' }),
    column.accessor('transport', { header: 'Transport' }),
    column.accessor('source', { header: 'From' }),
    column.accessor((r) => r.userAgent ?? '—', { id: 'ua', header: 'Phone' }),
    column.accessor('expires_s', { header: 'Expires in (s)' }),
  ];
  return (
    <Page
      title="Registered devices"
      actions={me.kind === 'operator' ? <TenantSelect value={tenant} onChange={setTenant} /> : null}
    >
      <p className="muted">Refreshed every {refresh_ms / 1000} seconds.</p>
      <ErrorNotice error={registrations.error} />
      {registrations.data ? (
        <DataTable
          caption="Registrations"
          columns={columns as never}
          data={registrations.data}
          empty="No device is registered."
        />
      ) : (
        <Loading />
      )}
    </Page>
  );
}
