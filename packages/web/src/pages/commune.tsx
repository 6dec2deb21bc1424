import { Link } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { money } from '../components/money.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

/** The Venture Commune at a glance, with the head of its hash chain. */
export function CommunePage() {
  const me = useMe();
  const summary = useLoad(() => unwrap(api.GET('/api/commune')), []);
  const s = summary.data;
  return (
    <Page title={s?.name ?? 'Venture Commune'}>
      <ErrorNotice error={summary.error} />
      {!s ? (
        summary.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <ul className="figures" aria-label="The commune in figures">
            <li className="figure">
              <span className="figure-label">Members</span>
              <span className="figure-value">
                <Link to="/commune/members">{s.members}</Link>
              </span>
            </li>
            <li className="figure">
              <span className="figure-label">Properties</span>
              <span className="figure-value">
                <Link to="/commune/properties">{s.properties}</Link>
              </span>
            </li>
            <li className="figure">
              <span className="figure-label">Active leases</span>
              <span className="figure-value">{s.active_leases}</span>
            </li>
            <li className="figure">
              <span className="figure-label">Annual rent roll</span>
              <span className="figure-value">{money(s.annual_rent_roll_minor, s.outside_currency)}</span>
            </li>
          </ul>
          <Section title="The books">
            <dl className="facts">
              <dt>Phase</dt>
              <dd>
                {s.phase === 'incorporated' ? `incorporated on ${s.incorporated_on}` : 'before incorporation'}
              </dd>
              <dt>Latest command</dt>
              <dd>{s.as_of ?? '—'}</dd>
              <dt>Currencies</dt>
              <dd>
                {s.outside_currency} (outside) and {s.currency} (the commune's own, at par)
              </dd>
              <dt>Log</dt>
              <dd>
                {s.entries} entries; head <code className="hash">{s.head}</code>
              </dd>
            </dl>
            <p>
              Anyone holding the head hash can check the whole log: see the{' '}
              <Link to="/commune/audit">audit</Link>.
              {me.kind === 'member'
                ? ` You are member ${me.personId}: you may bid for bonds, apply, resign, propose and vote as yourself.`
                : ''}
            </p>
          </Section>
        </>
      )}
    </Page>
  );
}
