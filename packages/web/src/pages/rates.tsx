import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { FileUpload } from '../components/file-upload.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Deck = Ok<'/api/rates', 'get'>[number];
type Imported = Ok<'/api/rates/{kind}/{ownerId}', 'put'>;
type Rate = Ok<'/api/rates/{kind}/{ownerId}/lookup', 'get'>;
const column = createColumnHelper<Deck>();
const idPattern = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

function Lookup({ decks }: { decks: readonly Deck[] }) {
  const [rate, setRate] = useState<Rate | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const form = useForm<{ deck: string; number: string }>({
    defaultValues: { deck: decks[0] ? `${decks[0].kind}/${decks[0].ownerId}` : '', number: '' },
  });
  const submit = form.handleSubmit(async (values) => {
    setRate(undefined);
    setFailure(undefined);
    const [kind, ownerId = ''] = values.deck.split('/') as ['carrier' | 'pricelist', string];
    try {
      setRate(
        await unwrap(
          api.GET('/api/rates/{kind}/{ownerId}/lookup', {
            params: { path: { kind, ownerId }, query: { number: values.number } },
          }),
        ),
      );
    } catch (error) {
      setFailure(error);
    }
  });
  return (
    <Section title="Look up a rate">
      <form onSubmit={submit} className="form-grid" noValidate>
        <Field label="Deck">
          <select {...form.register('deck')}>
            {decks.map((d) => (
              <option key={d.id} value={`${d.kind}/${d.ownerId}`}>
                {d.kind} {d.ownerId}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Number" hint="E.164, e.g. +4930123456">
          <input inputMode="tel" {...form.register('number', { required: true })} />
        </Field>
        <div className="form-actions">
          <button type="submit">Look up</button>
        </div>
      </form>
      <ErrorNotice error={failure} />
      {rate ? (
        <p role="status">
          {rate.number}: prefix {rate.prefix} ({rate.destination}), {rate.ratePerMinute} a minute, connect fee{' '}
          {rate.connectFee}, billed {rate.billingIncrement}, in force since{' '}
          {new Date(rate.effectiveFrom).toLocaleDateString()}.
        </p>
      ) : null}
    </Section>
  );
}

/** Every rate deck and price list; upload a price list with progress (operators). */
export function RatesPage() {
  const decks = useLoad(() => unwrap(api.GET('/api/rates')), []);
  const [priceList, setPriceList] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const validList = idPattern.test(priceList);
  const validCurrency = /^[A-Z]{3}$/.test(currency);
  const columns = [
    column.accessor('kind', { header: 'Kind' }),
    column.accessor('ownerId', {
      header: 'Of',
      cell: (c) =>
        c.row.original.kind === 'carrier' ? (
          <Link to={`/carriers/${c.getValue()}`}>{c.getValue()}</Link>
        ) : (
          c.getValue()
        ),
    }),
    column.accessor('rows', { header: 'Rates' }),
    column.accessor('currency', { header: 'Currency' }),
    column.accessor((d) => new Date(d.importedAt).toLocaleString(), { id: 'imported', header: 'Imported' }),
    column.accessor('source', { header: 'Source' }),
  ];
  return (
    <Page title="Rate decks and price lists" actions={<Link to="/carriers">Carriers</Link>}>
      <p className="muted">
        A carrier's deck is what calls cost us; a price list is what tenants pay. Upload a carrier's deck on
        its page.
      </p>
      <ErrorNotice error={decks.error} />
      {decks.data ? (
        <>
          <DataTable caption="Decks" columns={columns as never} data={decks.data} empty="No decks yet." />
          {decks.data.length > 0 ? <Lookup decks={decks.data} /> : null}
        </>
      ) : (
        <Loading />
      )}
      <Section title="Upload a price list">
        <div className="form-grid">
          <Field
            label="Price list id"
            hint="lowercase letters, digits and hyphens; tenants name it in billing.priceList"
            error={
              priceList && !validList ? 'expected lowercase letters, digits and inner hyphens' : undefined
            }
          >
            <input value={priceList} onChange={(event) => setPriceList(event.target.value)} />
          </Field>
          <Field label="Currency" error={validCurrency ? undefined : 'expected an ISO 4217 code such as EUR'}>
            <input
              maxLength={3}
              value={currency}
              onChange={(event) => setCurrency(event.target.value.toUpperCase())}
            />
          </Field>
        </div>
        <FileUpload<Imported>
          label="Price list (CSV)"
          hint="the same columns as a carrier's deck; all or nothing"
          accept=".csv,text/csv"
          contentType="text/csv"
          path={
            validList && validCurrency
              ? `/api/rates/pricelist/${priceList}?currency=${currency}&source=console`
              : undefined
          }
          button="Upload price list"
          maxOctets={256 * 1024 * 1024}
          done={(deck) =>
            `Price list ${deck.ownerId}: ${deck.rows.toLocaleString()} rates in ${deck.currency}.`
          }
          onUploaded={decks.reload}
        />
      </Section>
    </Page>
  );
}
