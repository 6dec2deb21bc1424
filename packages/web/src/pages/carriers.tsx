import { createColumnHelper } from '@tanstack/react-table';
import { useEffect } from 'react';
import { api, type Ok, unwrap } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Carrier = Ok<'/api/carriers', 'get'>[number];
const column = createColumnHelper<Carrier>();
const refresh_ms = 15_000;

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '—';
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
    column.accessor((c) => text(c.config.id), { id: 'id', header: 'Id' }),
    column.accessor((c) => text(c.config.name), { id: 'name', header: 'Name' }),
    column.accessor((c) => (c.status.healthy ? 'healthy' : 'DOWN'), { id: 'health', header: 'Health' }),
    column.accessor((c) => c.status.activeCalls, { id: 'calls', header: 'Calls now' }),
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
    <Page title="Carriers">
      <p className="muted">
        Health and calls in progress per carrier, refreshed every {refresh_ms / 1000} seconds. Carriers and
        rate decks are configured with <code>telekommune apply</code> and the rates API.
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
