import { createColumnHelper } from '@tanstack/react-table';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { EffectiveDateField, today } from '../commune/command.js';
import { useCommand } from '../commune/use-command.js';
import { DataTable } from '../components/data-table.js';
import { ChoiceField, Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { money, parseMajor } from '../components/money.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Auctions = Ok<'/api/commune/rent-auctions', 'get'>;
type Auction = Auctions['auctions'][number];
const column = createColumnHelper<Auction>();

const bodyField = (path: string) => path.replace(/^body\./, '');

function result(a: Auction): string {
  if (a.status === 'open') return `${a.sealed_bids} sealed bid${a.sealed_bids === 1 ? '' : 's'}`;
  if (!a.winner) return 'no bid: stays vacant';
  return `let to ${a.winner.enterprise} at ${money(a.winner.rent_minor, a.currency)} (${a.bids.length} bid${a.bids.length === 1 ? '' : 's'})`;
}

interface OfferValues {
  property: string;
  closes_on: string;
  min_rent: string;
  currency: string;
  term_months: string;
  effective_date: string;
}

/** Put a vacant property up for re-letting (§5). */
function OfferForm({
  vacant,
  currencies,
  onDone,
}: {
  vacant: readonly string[];
  currencies: readonly string[];
  onDone: () => void;
}) {
  const command = useCommand('offer-property', onDone);
  const form = useForm<OfferValues>({
    defaultValues: {
      property: vacant[0] ?? '',
      closes_on: '',
      min_rent: '',
      currency: currencies[0] ?? 'EUR',
      term_months: '',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const min = values.min_rent.trim() ? parseMajor(values.min_rent) : undefined;
    if (min && !min.ok) return form.setError('min_rent', { message: min.message });
    const term = values.term_months.trim();
    if (term && !/^\d{1,4}$/.test(term)) return form.setError('term_months', { message: 'expected months' });
    const offered = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/offer-property', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              property: values.property.trim(),
              closes_on: values.closes_on,
              currency: values.currency,
              ...(min?.ok ? { min_rent_minor: min.minor } : {}),
              ...(term ? { term_months: Number(term) } : {}),
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = bodyField(path);
          if (name === 'min_rent_minor') return 'min_rent';
          return name === 'property' || name === 'closes_on' || name === 'term_months' ? name : undefined;
        }),
    );
    if (offered) form.reset({ ...values, min_rent: '' });
  });
  return (
    <Section title="Offer a vacant property">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          Member enterprises bid a rent until the closing date; the highest rent wins, a tie goes to the
          earliest bid, and with no bid the property stays vacant.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Offered. {command.done}</StatusNotice> : null}
        <Field
          label="Property"
          hint={vacant.length ? `vacant: ${vacant.join(', ')}` : 'no property is vacant'}
          error={errors.property?.message}
        >
          <input {...form.register('property', { required: 'Enter the property' })} />
        </Field>
        <Field label="Bids close on" hint="YYYY-MM-DD" error={errors.closes_on?.message}>
          <input type="date" {...form.register('closes_on', { required: 'Enter the closing date' })} />
        </Field>
        <Field label="Lowest rent (optional)" hint="a month, in major units" error={errors.min_rent?.message}>
          <input inputMode="decimal" {...form.register('min_rent')} />
        </Field>
        <ChoiceField label="Currency" choices={currencies} register={form.register('currency')} />
        <Field label="Lease term (months, optional)" error={errors.term_months?.message}>
          <input inputMode="numeric" {...form.register('term_months')} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Offer for rent
          </button>
        </div>
      </form>
    </Section>
  );
}

interface BidValues {
  property: string;
  enterprise: string;
  rent: string;
  effective_date: string;
}

/** An enterprise's sealed rent bid, recorded by the treasurer. */
function RentBidForm({
  open,
  enterprises,
  onDone,
}: {
  open: readonly Auction[];
  enterprises: readonly string[];
  onDone: () => void;
}) {
  const command = useCommand('bid-rent', onDone);
  const form = useForm<BidValues>({
    defaultValues: {
      property: open[0]?.property ?? '',
      enterprise: enterprises[0] ?? '',
      rent: '',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const chosen = open.find((a) => a.property === form.watch('property'));
  const submit = form.handleSubmit(async (values) => {
    const rent = parseMajor(values.rent);
    if (!rent.ok) return form.setError('rent', { message: rent.message });
    const placed = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/bid-rent', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              property: values.property,
              enterprise: values.enterprise.trim(),
              rent_minor: rent.minor,
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = bodyField(path);
          return name === 'rent_minor' ? 'rent' : name === 'enterprise' ? name : undefined;
        }),
    );
    if (placed) form.reset({ ...values, rent: '' });
  });
  return (
    <Section title="Record a rent bid">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Bid recorded. {command.done}</StatusNotice> : null}
        <Field
          label="Property on offer"
          hint={
            chosen
              ? `closes ${chosen.closes_on}${chosen.min_rent_minor ? `; at least ${money(chosen.min_rent_minor, chosen.currency)}` : ''}`
              : undefined
          }
        >
          <select {...form.register('property')}>
            {open.map((a) => (
              <option key={a.property} value={a.property}>
                {a.property}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Bidding enterprise" hint={enterprises.join(', ')} error={errors.enterprise?.message}>
          <input {...form.register('enterprise', { required: 'Enter the enterprise' })} />
        </Field>
        <Field
          label="Rent offered"
          hint={`a ${chosen?.frequency === 'monthly' ? 'month' : (chosen?.frequency ?? 'period')}, in ${chosen?.currency ?? 'major units'}`}
          error={errors.rent?.message}
        >
          <input inputMode="decimal" {...form.register('rent', { required: 'Enter the rent' })} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Record bid
          </button>
        </div>
      </form>
    </Section>
  );
}

/** Open the bids once the auction has closed; the winner's lease starts at once. */
function CloseRentAuction({ open, onDone }: { open: readonly Auction[]; onDone: () => void }) {
  const command = useCommand('close-rent-auction', onDone);
  const form = useForm<{ property: string; effective_date: string }>({
    defaultValues: { property: open[0]?.property ?? '', effective_date: today() },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit((values) =>
    command.run(async (idempotency_key) =>
      unwrap(
        api.POST('/api/commune/close-rent-auction', {
          body: { idempotency_key, effective_date: values.effective_date, property: values.property },
        }),
      ),
    ),
  );
  return (
    <Section title="Close a rent auction">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <Field label="Auction to close">
          <select {...form.register('property')}>
            {open.map((a) => (
              <option key={a.property} value={a.property}>
                {a.property} (closes {a.closes_on})
              </option>
            ))}
          </select>
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Open the bids
          </button>
        </div>
      </form>
    </Section>
  );
}

/** Re-letting (§5): property that came back is offered to member enterprises at auction. */
export function CommuneRentAuctionsPage() {
  const me = useMe();
  const auctions = useLoad(() => unwrap(api.GET('/api/commune/rent-auctions')), []);
  const roll = useLoad(() => unwrap(api.GET('/api/commune/rent-roll')), []);
  const summary = useLoad(() => unwrap(api.GET('/api/commune')), []);
  const a = auctions.data;
  const currencies = summary.data ? [summary.data.outside_currency, summary.data.currency] : ['EUR'];
  const reload = () => {
    auctions.reload();
    roll.reload();
  };
  const open = a?.auctions.filter((x) => x.status === 'open') ?? [];
  const vacant =
    roll.data?.properties.filter((p) => p.vacant && !p.on_auction_until).map((p) => p.property) ?? [];
  const enterprises = roll.data?.enterprises.map((e) => e.enterprise) ?? [];
  const operator = me.kind === 'operator';

  const columns = [
    column.accessor('property', { header: 'Property' }),
    column.accessor('description', { header: 'Description' }),
    column.accessor('opened_on', { header: 'Offered' }),
    column.accessor('closes_on', { header: 'Bids close' }),
    column.accessor((x) => (x.min_rent_minor ? money(x.min_rent_minor, x.currency) : '—'), {
      id: 'min',
      header: 'Lowest rent',
    }),
    column.accessor('status', { header: 'Status' }),
    column.accessor(result, { id: 'result', header: 'Result' }),
  ];

  return (
    <Page title="Re-letting auctions">
      <ErrorNotice error={auctions.error ?? roll.error} />
      {!a ? (
        auctions.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p>
            Bids are sealed until an auction closes. The treasurer records the bids of member enterprises;
            members read the results.
          </p>
          <DataTable
            caption="Rent auctions"
            columns={columns as never}
            data={a.auctions}
            empty="No auctions yet."
          />
          {operator ? (
            <>
              <OfferForm vacant={vacant} currencies={currencies} onDone={reload} />
              {open.length > 0 ? (
                <>
                  <RentBidForm open={open} enterprises={enterprises} onDone={reload} />
                  <CloseRentAuction open={open} onDone={reload} />
                </>
              ) : null}
            </>
          ) : null}
        </>
      )}
    </Page>
  );
}
