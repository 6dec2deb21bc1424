import { createColumnHelper } from '@tanstack/react-table';
import { Link, useParams } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Menu = Ok<'/api/tenants/{tenantId}/ivrs', 'get'>[number];
type Schedule = Ok<'/api/tenants/{tenantId}/schedules', 'get'>[number];
const menuColumn = createColumnHelper<Menu>();
const scheduleColumn = createColumnHelper<Schedule>();

export function greetingText(g: Menu['greeting']): string {
  if (!g) return 'the default greeting';
  if ('prompt' in g) return `recording ${g.prompt}`;
  if ('text' in g) return `“${g.text}”`;
  return `prompts ${g.say.join(', ')}`;
}

/** A tenant's auto-attendant menus and business-hours schedules. */
export function IvrsPage() {
  const { tenantId = '' } = useParams();
  const path = { params: { path: { tenantId } } };
  const menus = useLoad(() => unwrap(api.GET('/api/tenants/{tenantId}/ivrs', path)), [tenantId]);
  const schedules = useLoad(() => unwrap(api.GET('/api/tenants/{tenantId}/schedules', path)), [tenantId]);
  const menuColumns = [
    menuColumn.accessor('id', {
      header: 'Id',
      cell: (c) => <Link to={`/tenants/${tenantId}/ivrs/${c.getValue()}`}>{c.getValue()}</Link>,
    }),
    menuColumn.accessor('name', { header: 'Name' }),
    menuColumn.accessor((m) => m.number ?? '—', { id: 'number', header: 'Dial' }),
    menuColumn.accessor((m) => greetingText(m.greeting), { id: 'greeting', header: 'Greeting' }),
    menuColumn.accessor(
      (m) =>
        Object.entries(m.options)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, to]) => `${key} → ${to}`)
          .join('; ') || '—',
      { id: 'options', header: 'Keys' },
    ),
    menuColumn.accessor(
      (m) => (m.hours ? `${m.hours.schedule}; closed → ${m.hours.closed}` : 'always open'),
      {
        id: 'hours',
        header: 'Hours',
      },
    ),
  ];
  const scheduleColumns = [
    scheduleColumn.accessor('id', {
      header: 'Id',
      cell: (c) => <Link to={`/tenants/${tenantId}/schedules/${c.getValue()}`}>{c.getValue()}</Link>,
    }),
    scheduleColumn.accessor((s) => s.name ?? '', { id: 'name', header: 'Name' }),
    scheduleColumn.accessor(
      (s) => s.weekly.map((w) => `${w.days.join(' ')} ${w.from}–${w.to}`).join('; ') || 'never open',
      { id: 'weekly', header: 'Open' },
    ),
    scheduleColumn.accessor((s) => `${s.holidays.length}`, { id: 'holidays', header: 'Holidays' }),
  ];
  return (
    <Page
      title={`Auto attendant of ${tenantId}`}
      actions={
        <>
          <Link to={`/tenants/${tenantId}/prompts`}>Recordings</Link>
          <Link className="button" to={`/tenants/${tenantId}/ivrs/new`}>
            New menu
          </Link>
        </>
      }
    >
      <ErrorNotice error={menus.error ?? schedules.error} />
      {menus.data ? (
        <DataTable caption="Menus" columns={menuColumns as never} data={menus.data} empty="No menus yet." />
      ) : (
        <Loading />
      )}
      {schedules.data ? (
        <DataTable
          caption="Schedules"
          columns={scheduleColumns as never}
          data={schedules.data}
          empty="No schedules yet: menus are always open."
        />
      ) : null}
      <p>
        <Link to={`/tenants/${tenantId}/schedules/new`}>New schedule</Link>
      </p>
    </Page>
  );
}
