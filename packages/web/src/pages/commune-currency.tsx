import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { CurrencyForm } from '../commune/enterprise-money-forms.js';
import { minorToNumber, money, percent } from '../components/money.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

/** Commune currency outstanding against its cap (backing ratio × annual rent roll), as a chart and in figures. */
export function CommuneCurrencyPage() {
  const me = useMe();
  const report = useLoad(() => unwrap(api.GET('/api/commune/currency')), []);
  const roll = useLoad(() => unwrap(api.GET('/api/commune/rent-roll')), []);
  const enterprises = roll.data?.enterprises.map((e) => e.enterprise) ?? [];
  const c = report.data;
  const rows = c
    ? [
        {
          name: 'Outstanding',
          outstanding: minorToNumber(c.outstanding_minor),
          headroom: Math.max(0, minorToNumber(c.headroom_minor)),
        },
        { name: 'Issued', issued: minorToNumber(c.issued_minor) },
        { name: 'Retired', retired: minorToNumber(c.retired_minor) },
      ]
    : [];
  return (
    <Page title="Commune currency">
      <ErrorNotice error={report.error} />
      {!c ? (
        report.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p>
            {c.currency} is issued by the commune, at par with {c.outside_currency}, and backed by the rent it
            is owed: no more may be outstanding than {percent(c.backing_ratio_bp)} of the annual rent roll.
          </p>
          {c.over_cap ? (
            <p className="notice notice-error" role="alert">
              Outstanding currency is above the cap: the rent roll shrank. No new {c.currency} can be issued
              until it recovers.
            </p>
          ) : null}
          <Section title={`${c.currency} outstanding against its cap`}>
            <figure className="chart">
              <div className="chart-box" aria-hidden="true">
                <ResponsiveContainer width="100%" height={240}>
                  <BarChart
                    accessibilityLayer={false}
                    data={rows}
                    layout="vertical"
                    margin={{ top: 8, right: 24, bottom: 8, left: 16 }}
                  >
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis type="number" />
                    <YAxis type="category" dataKey="name" width={96} />
                    <Tooltip />
                    <Legend />
                    <ReferenceLine
                      x={minorToNumber(c.cap_minor)}
                      stroke="#8c1d18"
                      strokeWidth={2}
                      label={{ value: 'cap', position: 'top' }}
                    />
                    <Bar dataKey="outstanding" name="Outstanding" stackId="cap" fill="#0b4f8a" />
                    <Bar dataKey="headroom" name="Headroom to the cap" stackId="cap" fill="#9db7d1" />
                    <Bar dataKey="issued" name="Issued in all" fill="#1b6e3a" />
                    <Bar dataKey="retired" name="Retired (rent paid in it)" fill="#6b5b1d" />
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <figcaption>
                <dl className="facts">
                  <dt>Outstanding</dt>
                  <dd>{money(c.outstanding_minor, c.currency)}</dd>
                  <dt>Cap</dt>
                  <dd>
                    {money(c.cap_minor, c.currency)} ({percent(c.backing_ratio_bp)} of{' '}
                    {money(c.annual_rent_roll_minor, c.outside_currency)} annual rent)
                  </dd>
                  <dt>Headroom</dt>
                  <dd>{money(c.headroom_minor, c.currency)}</dd>
                  <dt>Issued, retired</dt>
                  <dd>
                    {money(c.issued_minor, c.currency)} issued, {money(c.retired_minor, c.currency)} retired
                  </dd>
                  <dt>Buy-back</dt>
                  <dd>
                    {c.buyback
                      ? `allowed, from the reserve of ${money(c.reserve_minor, c.outside_currency)}`
                      : 'not allowed by the bylaws'}
                  </dd>
                </dl>
              </figcaption>
            </figure>
          </Section>
          {me.kind === 'operator' && roll.data ? (
            <>
              <CurrencyForm
                act="fund-enterprise"
                enterprises={enterprises}
                currency={c.currency}
                onDone={report.reload}
              />
              {c.buyback ? (
                <CurrencyForm
                  act="redeem-currency"
                  enterprises={enterprises}
                  currency={c.currency}
                  onDone={report.reload}
                />
              ) : null}
            </>
          ) : null}
        </>
      )}
    </Page>
  );
}
