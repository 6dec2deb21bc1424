import { Link } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { CallsPerHourChart } from '../components/calls-chart.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

const day_ms = 24 * 3_600_000;

function StaffDashboard() {
  const me = useMe();
  const since = new Date(Math.floor((Date.now() - day_ms) / 3_600_000) * 3_600_000).toISOString();
  const overview = useLoad(async () => {
    const [tenants, registrations, cdrs, accounts, health] = await Promise.all([
      unwrap(api.GET('/api/tenants')),
      unwrap(api.GET('/api/registrations', {})),
      unwrap(api.GET('/api/cdrs', { params: { query: { from: since, limit: 10_000 } } })),
      unwrap(api.GET('/api/accounts', {})),
      unwrap(api.GET('/healthz')),
    ]);
    return { tenants, registrations, cdrs, accounts, health };
  }, []);
  if (overview.error) return <ErrorNotice error={overview.error} />;
  if (!overview.data) return <Loading />;
  const { tenants, registrations, cdrs, accounts, health } = overview.data;
  const extensions = tenants.reduce((sum, t) => sum + t.extensions, 0);
  const answered = cdrs.filter((c) => c.disposition === 'answered').length;
  const figures = [
    {
      label: me.kind === 'operator' ? 'Tenants' : 'Tenant',
      value: me.kind === 'operator' ? tenants.length : (tenants[0]?.name ?? '—'),
      to: me.kind === 'operator' ? '/tenants' : undefined,
    },
    {
      label: 'Extensions',
      value: extensions,
      to: tenants[0] && me.kind !== 'operator' ? `/tenants/${tenants[0].id}/extensions` : undefined,
    },
    { label: 'Registered devices', value: registrations.length, to: '/calls/registrations' },
    { label: 'Calls in 24 h', value: `${cdrs.length} (${answered} answered)`, to: '/calls/cdrs' },
    { label: 'Accounts', value: accounts.length, to: '/accounts' },
  ];
  return (
    <>
      <ul className="figures" aria-label="Key figures">
        {figures.map((f) => (
          <li key={f.label} className="figure">
            <span className="figure-label">{f.label}</span>
            <span className="figure-value">{f.to ? <Link to={f.to}>{f.value}</Link> : f.value}</span>
          </li>
        ))}
      </ul>
      <Section title="Calls per hour, last 24 hours">
        <CallsPerHourChart cdrs={cdrs} from_ms={Date.parse(since)} hours={25} />
      </Section>
      <Section title="System">
        <p>
          Version {health.version}, up {Math.round(health.uptime_s / 60)} min; database{' '}
          {health.database.dialect} {health.database.ok ? 'answering' : 'NOT answering'}. The API is described
          at <a href="/openapi.json">/openapi.json</a>.
        </p>
      </Section>
    </>
  );
}

export function DashboardPage() {
  const me = useMe();
  const staff = me.kind === 'operator' || me.kind === 'tenant';
  return (
    <Page title={staff ? 'Dashboard' : `Welcome, ${me.account?.displayName ?? ''}`}>
      {staff ? (
        <StaffDashboard />
      ) : me.kind === 'user' ? (
        <Section title="Your extension">
          <p>
            You own extension {me.extension} of {me.tenantId}. Set where your calls go on{' '}
            <Link to="/me/forwarding">My forwarding</Link>.
          </p>
        </Section>
      ) : (
        <Section title="Your membership">
          <p>You are signed in as commune member {me.personId}.</p>
        </Section>
      )}
    </Page>
  );
}
