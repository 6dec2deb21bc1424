import { Link } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { CallsPerHourChart } from '../components/calls-chart.js';
import { LiveCalls } from '../components/live-calls.js';
import { money } from '../components/money.js';
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
    const carriers = me.kind === 'operator' ? await unwrap(api.GET('/api/carriers')) : undefined;
    return { tenants, registrations, cdrs, accounts, health, carriers };
  }, []);
  if (overview.error) return <ErrorNotice error={overview.error} />;
  if (!overview.data) return <Loading />;
  const { tenants, registrations, cdrs, accounts, health, carriers } = overview.data;
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
      <Section title="Live calls (refreshed every 5 seconds)">
        <LiveCalls showTenant={me.kind === 'operator'} />
      </Section>
      {carriers ? (
        <Section title="Carrier health">
          {carriers.length === 0 ? (
            <p className="muted">
              No carriers yet: <Link to="/carriers/new">add one</Link>.
            </p>
          ) : (
            <ul className="health-list">
              {carriers.map((c) => (
                <li key={c.config.id}>
                  <Link to={`/carriers/${c.config.id}`}>{c.config.name}</Link>:{' '}
                  {!c.config.enabled ? 'disabled' : c.status.healthy ? 'healthy' : 'DOWN'},{' '}
                  {c.status.activeCalls} of {c.config.maxCalls} calls
                  {c.status.registration ? `, ${c.status.registration.state}` : ''}
                </li>
              ))}
            </ul>
          )}
        </Section>
      ) : null}
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

function UserDashboard() {
  const me = useMe();
  const box = useLoad(async () => {
    const extension = await unwrap(api.GET('/api/me/extension'));
    return extension.voicemail ? unwrap(api.GET('/api/me/voicemail')) : undefined;
  }, []);
  return (
    <Section title="Your extension">
      <p>
        You own extension {me.extension} of {me.tenantId}. Set where your calls go on{' '}
        <Link to="/me/forwarding">My forwarding</Link>.
      </p>
      {box.data ? (
        <p>
          Voicemail: <Link to="/me/voicemail">{box.data.counts.new} new</Link> and {box.data.counts.old} old
          messages.
        </p>
      ) : null}
    </Section>
  );
}

function MemberDashboard() {
  const me = useMe();
  const summary = useLoad(() => unwrap(api.GET('/api/commune')), []);
  const s = summary.data;
  return (
    <Section title="Your membership">
      <p>You are signed in as commune member {me.personId}.</p>
      <ErrorNotice error={summary.error} />
      {s ? (
        <p>
          {s.name}: {s.members} members, {s.properties} properties, an annual rent roll of{' '}
          {money(s.annual_rent_roll_minor, s.outside_currency)}. See <Link to="/commune">the commune</Link>,{' '}
          <Link to="/commune/bonds">bonds and auctions</Link> and{' '}
          <Link to="/commune/distributions">distributions</Link>.
        </p>
      ) : null}
    </Section>
  );
}

export function DashboardPage() {
  const me = useMe();
  const staff = me.kind === 'operator' || me.kind === 'tenant';
  return (
    <Page title={staff ? 'Dashboard' : `Welcome, ${me.account?.displayName ?? ''}`}>
      {staff ? <StaffDashboard /> : me.kind === 'user' ? <UserDashboard /> : <MemberDashboard />}
    </Page>
  );
}
