import { createColumnHelper } from '@tanstack/react-table';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Carrier = Ok<'/api/carriers', 'get'>[number];
const column = createColumnHelper<Carrier>();
const refresh_ms = 15_000;

function health(c: Carrier): string {
  if (!c.config.enabled) return 'disabled';
  if (!c.status.healthy) return `DOWN${c.status.healthReason ? ` (${c.status.healthReason})` : ''}`;
  return 'healthy';
}

/** Carriers with their health, calls in progress and rate deck (operators). */
export function CarriersPage() {
  const carriers = useLoad(() => unwrap(api.GET('/api/carriers')), []);
  const { reload } = carriers;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload changes identity every render
  useEffect(() => {
    const timer = setInterval(reload, refresh_ms);
    return () => clearInterval(timer);
  }, []);
  const columns = [
    column.accessor((c) => c.config.id, {
      id: 'id',
      header: 'Id',
      cell: (c) => <Link to={`/carriers/${c.getValue()}`}>{c.getValue()}</Link>,
    }),
    column.accessor((c) => c.config.name, { id: 'name', header: 'Name' }),
    column.accessor((c) => `${c.config.host}:${c.config.port} ${c.config.transport.toUpperCase()}`, {
      id: 'address',
      header: 'Address',
    }),
    column.accessor((c) => health(c), { id: 'health', header: 'Health' }),
    column.accessor(
      (c) => c.status.registration?.state ?? (c.config.auth.mode === 'ip' ? 'by address' : '—'),
      {
        id: 'registration',
        header: 'Registration',
      },
    ),
    column.accessor((c) => `${c.status.activeCalls} of ${c.config.maxCalls}`, {
      id: 'calls',
      header: 'Calls now',
    }),
    column.accessor((c) => (c.deck ? `${c.deck.rows} rates in ${c.deck.currency}` : 'no rate deck'), {
      id: 'deck',
      header: 'Rate deck',
    }),
    column.accessor((c) => (c.deck ? new Date(c.deck.importedAt).toLocaleString() : '—'), {
      id: 'imported',
      header: 'Imported',
    }),
  ];
  return (
    <Page
      title="Carriers"
      actions={
        <>
          <Link to="/rates">Rate decks and price lists</Link>
          <Link className="button" to="/carriers/new">
            New carrier
          </Link>
        </>
      }
    >
      <p className="muted">
        Health and calls in progress per carrier, refreshed every {refresh_ms / 1000} seconds. Open a carrier
        to edit it and upload its rate deck.
      </p>
      <ErrorNotice error={carriers.error} />
      {carriers.data ? (
        <DataTable
          caption="Carriers"
          columns={columns as never}
          data={carriers.data}
          empty="No carriers are configured."
        />
      ) : (
        <Loading />
      )}
    </Page>
  );
}
