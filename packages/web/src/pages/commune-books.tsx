import { useState } from 'react';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { EnterpriseEntryForm } from '../commune/enterprise-money-forms.js';
import { Field } from '../components/field.js';
import { money } from '../components/money.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type BalanceSheet = Ok<'/api/commune/balance-sheet', 'get'>;
type IncomeStatement = Ok<'/api/commune/income-statement', 'get'>;
type Part = BalanceSheet['currencies'][number]['assets'];

/** One part of a statement (assets, income, …) as a table with its total. */
function PartTable({ title, part, currency }: { title: string; part: Part; currency: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a table that may scroll sideways must be reachable by keyboard (WCAG 2.1.1)
    <section className="table-scroll statement" aria-label={`${title} (${currency})`} tabIndex={0}>
      <table>
        <caption>
          {title} ({currency})
        </caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col" className="amount">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {part.lines.map((line) => (
            <tr key={line.account}>
              <td title={line.account}>{line.name}</td>
              <td className="amount">{money(line.amount_minor, currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total {title.toLowerCase()}</th>
            <td className="amount">{money(part.total_minor, currency)}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

function BalanceSheetView({ sheet }: { sheet: BalanceSheet }) {
  return (
    <>
      {sheet.currencies.map((c) => (
        <Section key={c.currency} title={`Balance sheet in ${c.currency}, as of ${sheet.as_of ?? '—'}`}>
          <div className="statement-grid">
            <PartTable title="Assets" part={c.assets} currency={c.currency} />
            <PartTable title="Liabilities" part={c.liabilities} currency={c.currency} />
            <PartTable title="Equity" part={c.equity} currency={c.currency} />
          </div>
          <p>
            Result of the period not yet appropriated: {money(c.current_result_minor, c.currency)}.
            Liabilities and equity: {money(c.total_liabilities_and_equity_minor, c.currency)} —{' '}
            {c.balanced ? 'balanced with the assets.' : 'NOT BALANCED: run the audit.'}
          </p>
        </Section>
      ))}
    </>
  );
}

function IncomeStatementView({ statement }: { statement: IncomeStatement }) {
  return (
    <>
      {statement.currencies.map((c) => (
        <Section
          key={c.currency}
          title={`Income statement in ${c.currency}, ${statement.from ?? 'the beginning'} to ${statement.to ?? 'now'}`}
        >
          <div className="statement-grid">
            <PartTable title="Income" part={c.income} currency={c.currency} />
            <PartTable title="Expenses" part={c.expenses} currency={c.currency} />
          </div>
          <p>Net: {money(c.net_minor, c.currency)}.</p>
        </Section>
      ))}
    </>
  );
}

/** Balance sheets and income statements of the commune or one of its enterprises. */
export function CommuneBooksPage() {
  const me = useMe();
  const summary = useLoad(() => unwrap(api.GET('/api/commune')), []);
  const currencies = summary.data ? [summary.data.outside_currency, summary.data.currency] : ['EUR'];
  const [owner, setOwner] = useState('commune');
  const [asOf, setAsOf] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const roll = useLoad(() => unwrap(api.GET('/api/commune/rent-roll')), []);
  const books = useLoad(async () => {
    const [sheet, statement] = await Promise.all([
      unwrap(
        api.GET('/api/commune/balance-sheet', {
          params: { query: { owner, ...(asOf ? { as_of: asOf } : {}) } },
        }),
      ),
      unwrap(
        api.GET('/api/commune/income-statement', {
          params: { query: { owner, ...(from ? { from } : {}), ...(to ? { to } : {}) } },
        }),
      ),
    ]);
    return { sheet, statement };
  }, [owner, asOf, from, to]);
  return (
    <Page title="Books">
      <div className="filters form-grid">
        <Field label="Whose books">
          <select value={owner} onChange={(event) => setOwner(event.target.value)}>
            <option value="commune">The commune</option>
            {roll.data?.enterprises.map((e) => (
              <option key={e.enterprise} value={`enterprise:${e.enterprise}`}>
                {e.name} (enterprise)
              </option>
            ))}
          </select>
        </Field>
        <Field label="Balance sheet as of" hint="empty: the latest">
          <input type="date" value={asOf} onChange={(event) => setAsOf(event.target.value)} />
        </Field>
        <Field label="Income from">
          <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
        </Field>
        <Field label="Income until">
          <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
        </Field>
      </div>
      <ErrorNotice error={books.error} />
      {!books.data ? (
        books.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <BalanceSheetView sheet={books.data.sheet} />
          <IncomeStatementView statement={books.data.statement} />
        </>
      )}
      {me.kind === 'operator' && roll.data && roll.data.enterprises.length > 0 ? (
        <EnterpriseEntryForm
          enterprises={roll.data.enterprises.map((e) => e.enterprise)}
          currencies={currencies}
          onDone={books.reload}
        />
      ) : null}
    </Page>
  );
}
