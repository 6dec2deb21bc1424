import { createColumnHelper } from '@tanstack/react-table';
import { useForm } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { type Me, useMe } from '../auth/session.js';
import { EffectiveDateField, today } from '../commune/command.js';
import { useCommand } from '../commune/use-command.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { money, parsePercent, percent, ratio } from '../components/money.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { couponsPerYear, type Series, seriesStatus } from './commune-bonds.js';

type Auction = NonNullable<Series['auction']>;
const allotmentColumn = createColumnHelper<Auction['allotments'][number]>();
const holderColumn = createColumnHelper<Series['holders'][number]>();
const scheduleColumn = createColumnHelper<Series['schedule'][number]>();

interface BidValues {
  bidder: string;
  quantity: number;
  yield: string;
  effective_date: string;
}

/** A sealed bid: members bid as themselves, operators for anyone registered. */
function BidForm({ me, series, onDone }: { me: Me; series: Series; onDone: () => void }) {
  const command = useCommand('bid', onDone);
  const member = me.kind === 'member';
  const form = useForm<BidValues>({
    defaultValues: {
      bidder: member ? (me.personId ?? '') : '',
      quantity: 1,
      yield: '',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const minYield = parsePercent(values.yield);
    if (!minYield.ok) return form.setError('yield', { message: minYield.message });
    const placed = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/bid', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              series: series.series,
              bidder: values.bidder.trim(),
              quantity: values.quantity,
              min_yield_bp: minYield.bp,
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (p) =>
          p === 'min_yield_bp' ? 'yield' : p === 'bidder' || p === 'quantity' ? p : undefined,
        ),
    );
    if (placed) form.reset({ ...values, yield: '' });
  });
  return (
    <Section title="Place a bid">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          Bids are sealed until {series.closes_on}. You name the lowest yield you accept; if your bid is
          accepted you receive the stop-out yield, which is at least that.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Bid placed. {command.done}</StatusNotice> : null}
        <Field
          label="Bidder"
          hint={member ? 'members bid as themselves' : 'a registered person id'}
          error={errors.bidder?.message}
        >
          <input readOnly={member} {...form.register('bidder', { required: 'Enter the bidder' })} />
        </Field>
        <Field label="Bonds wanted" hint={`1 to ${series.quantity}`} error={errors.quantity?.message}>
          <input
            type="number"
            min={1}
            max={series.quantity}
            {...form.register('quantity', {
              valueAsNumber: true,
              min: { value: 1, message: 'at least 1' },
              max: { value: series.quantity, message: `the series offers ${series.quantity}` },
            })}
          />
        </Field>
        <Field label="Lowest yield accepted (%)" hint="e.g. 3.75" error={errors.yield?.message}>
          <input inputMode="decimal" {...form.register('yield', { required: 'Enter a yield' })} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Place bid
          </button>
        </div>
      </form>
    </Section>
  );
}

function CloseAuction({ series, onDone }: { series: Series; onDone: () => void }) {
  const command = useCommand('close-auction', onDone);
  const form = useForm<{ effective_date: string }>({
    defaultValues: {
      effective_date: series.closes_on && series.closes_on > today() ? series.closes_on : today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit((values) =>
    command.run(async (idempotency_key) =>
      unwrap(
        api.POST('/api/commune/close-auction', {
          body: { idempotency_key, effective_date: values.effective_date, series: series.series },
        }),
      ),
    ),
  );
  return (
    <Section title="Close the auction">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          Opens the {series.sealed_bids} sealed bids and runs the uniform-price auction. If the bids cover the
          series, the property it finances is bought and its lease starts at once.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Close auction
          </button>
        </div>
      </form>
    </Section>
  );
}

function AuctionResults({ auction }: { auction: Auction }) {
  const allotments = [
    allotmentColumn.accessor('bid', { header: 'Bid' }),
    allotmentColumn.accessor('bidder', { header: 'Bidder' }),
    allotmentColumn.accessor('min_yield_bp', { header: 'Lowest yield', cell: (c) => percent(c.getValue()) }),
    allotmentColumn.accessor('requested', { header: 'Wanted' }),
    allotmentColumn.accessor('eligible', { header: 'Eligible' }),
    allotmentColumn.accessor('allotted', { header: 'Allotted' }),
  ];
  return (
    <Section title="Auction results">
      <dl className="facts">
        <dt>Outcome</dt>
        <dd>{auction.cleared ? 'cleared: the series is sold' : 'did not clear: nothing was sold'}</dd>
        <dt>Stop-out yield</dt>
        <dd>{auction.stop_out_yield_bp === null ? '—' : percent(auction.stop_out_yield_bp)}</dd>
        <dt>Bid-to-cover</dt>
        <dd>
          {ratio(auction.bid_to_cover_bp)} ({auction.tendered} bonds bid for {auction.offered} offered)
        </dd>
        <dt>Bids</dt>
        <dd>
          {auction.bids}
          {auction.yield_range
            ? `, yields ${percent(auction.yield_range.low_bp)} to ${percent(auction.yield_range.high_bp)}`
            : ''}
          {auction.accepted_range
            ? `; accepted ${percent(auction.accepted_range.low_bp)} to ${percent(auction.accepted_range.high_bp)}`
            : ''}
        </dd>
        {auction.per_bidder_cap !== null ? (
          <>
            <dt>Per bidder</dt>
            <dd>at most {auction.per_bidder_cap} bonds</dd>
          </>
        ) : null}
        <dt>Proration</dt>
        <dd>
          {auction.proration
            ? `${auction.proration.filled} of ${auction.proration.demand} bonds bid at ${percent(auction.proration.yield_bp)} filled (${percent(auction.proration.ratio_bp)}), rounded down; bonds left by rounding go to the earliest bids`
            : 'none: every accepted bid was filled in full'}
        </dd>
      </dl>
      <DataTable
        caption="Allotments"
        columns={allotments as never}
        data={auction.allotments}
        empty="No bids were placed."
      />
    </Section>
  );
}

/** One bond series: its auction (bid, close, results), holders and payment schedule. */
export function CommuneSeriesPage() {
  const me = useMe();
  const { series: id = '' } = useParams();
  const bonds = useLoad(() => unwrap(api.GET('/api/commune/bonds')), []);
  const summary = useLoad(() => unwrap(api.GET('/api/commune')), []);
  const currency = summary.data?.outside_currency ?? 'EUR';
  const series = bonds.data?.series.find((s) => s.series === id);
  const holders = [
    holderColumn.accessor('holder', { header: 'Holder' }),
    holderColumn.accessor('quantity', { header: 'Bonds' }),
    holderColumn.accessor((h) => money(h.principal_outstanding_minor, currency), {
      id: 'principal',
      header: 'Principal owed',
    }),
    holderColumn.accessor((h) => money(h.coupons_paid_minor, currency), {
      id: 'coupons',
      header: 'Coupons paid',
    }),
    holderColumn.accessor((h) => money(h.coupons_overdue_minor, currency), {
      id: 'overdue',
      header: 'Overdue',
    }),
  ];
  const schedule = [
    scheduleColumn.accessor('number', { header: '#' }),
    scheduleColumn.accessor('period', { header: 'Period' }),
    scheduleColumn.accessor((s) => money(s.coupon_minor, currency), { id: 'coupon', header: 'Coupons' }),
    scheduleColumn.accessor((s) => money(s.principal_minor, currency), {
      id: 'principal',
      header: 'Principal',
    }),
    scheduleColumn.accessor('state', { header: 'State' }),
  ];
  return (
    <Page title={`Bond series ${id}`} actions={<Link to="/commune/bonds">All bond series</Link>}>
      <ErrorNotice error={bonds.error} />
      {!bonds.data ? (
        bonds.error ? null : (
          <Loading />
        )
      ) : !series ? (
        <ErrorNotice error={new Error(`There is no bond series ${id}.`)} />
      ) : (
        <>
          <dl className="facts">
            <dt>Purpose</dt>
            <dd>{series.purpose}</dd>
            <dt>Status</dt>
            <dd>{seriesStatus(series)}</dd>
            <dt>Size</dt>
            <dd>
              {series.quantity} bonds of {money(series.face_minor, currency)}
            </dd>
            <dt>Term</dt>
            <dd>
              {series.term_months} months, coupons {couponsPerYear[series.coupon_frequency] ?? ''}
              {series.coupon_bp === null ? '' : ` at ${percent(series.coupon_bp)}`}
              {series.maturity ? `; matures ${series.maturity}` : ''}
            </dd>
            <dt>Finances</dt>
            <dd>{series.property ?? '—'}</dd>
          </dl>
          {series.status === 'auction' ? (
            <>
              <p>
                {series.sealed_bids} sealed bid{series.sealed_bids === 1 ? '' : 's'} so far; bids stay sealed
                until {series.closes_on}.
              </p>
              <BidForm me={me} series={series} onDone={bonds.reload} />
              {me.kind === 'operator' ? <CloseAuction series={series} onDone={bonds.reload} /> : null}
            </>
          ) : null}
          {series.auction ? <AuctionResults auction={series.auction} /> : null}
          {series.holders.length > 0 ? (
            <DataTable caption="Holders" columns={holders as never} data={series.holders} empty="" />
          ) : null}
          {series.schedule.length > 0 ? (
            <DataTable
              caption="Payment schedule"
              columns={schedule as never}
              data={series.schedule}
              empty=""
            />
          ) : null}
        </>
      )}
    </Page>
  );
}
