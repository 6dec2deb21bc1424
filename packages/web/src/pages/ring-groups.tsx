import { createColumnHelper } from '@tanstack/react-table';
import { Link, useParams } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type RingGroup = Ok<'/api/tenants/{tenantId}/ring-groups', 'get'>[number];
const column = createColumnHelper<RingGroup>();

const strategyNames = {
  simultaneous: 'all at once',
  hunt: 'one after another',
  roundRobin: 'round robin',
} as const;

export function RingGroupsPage() {
  const { tenantId = '' } = useParams();
  const groups = useLoad(
    () => unwrap(api.GET('/api/tenants/{tenantId}/ring-groups', { params: { path: { tenantId } } })),
    [tenantId],
  );
  const columns = [
    column.accessor('id', {
      header: 'Id',
      cell: (c) => <Link to={`/tenants/${tenantId}/ring-groups/${c.getValue()}`}>{c.getValue()}</Link>,
    }),
    column.accessor('name', { header: 'Name' }),
    column.accessor((g) => g.number ?? '—', { id: 'number', header: 'Number' }),
    column.accessor((g) => strategyNames[g.strategy], { id: 'strategy', header: 'Rings' }),
    column.accessor((g) => g.members.map((m) => m.extension).join(', '), {
      id: 'members',
      header: 'Members',
    }),
    column.accessor((g) => String(g.finally ?? 'hangup'), { id: 'finally', header: 'Then' }),
  ];
  return (
    <Page
      title={`Ring groups of ${tenantId}`}
      actions={
        <Link className="button" to={`/tenants/${tenantId}/ring-groups/new`}>
          New ring group
        </Link>
      }
    >
      <ErrorNotice error={groups.error} />
      {groups.data ? (
        <DataTable
          caption="Ring groups"
          columns={columns as never}
          data={groups.data}
          empty="No ring groups yet."
        />
      ) : (
        <Loading />
      )}
    </Page>
  );
}
