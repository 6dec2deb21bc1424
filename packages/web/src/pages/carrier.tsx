import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, type Body, type Ok, unwrap } from '../api/client.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { EditorActions } from '../components/editor-actions.js';
import { CheckField, ChoiceField, Field } from '../components/field.js';
import { FileUpload } from '../components/file-upload.js';
import { applyIssues } from '../components/forms.js';
import { IdentityFields } from '../components/identity-fields.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type CarrierView = Ok<'/api/carriers/{carrierId}', 'get'>;
type Carrier = CarrierView['config'];
type CarrierBody = Body<'/api/carriers/{carrierId}', 'put'>;
type Deck = Ok<'/api/rates/{kind}/{ownerId}', 'put'>;

const codecs = ['PCMA', 'PCMU', 'G722', 'opus', 'telephone-event'] as const;
const formats = ['e164-plus', 'e164', 'international-00', 'national'] as const;
/** The password as the API shows it; sending it back keeps the stored one. */
const hiddenPassword = '********';

interface CarrierValues {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
  mode: 'ip' | 'register';
  allow: string;
  username: string;
  password: string;
  registrar: string;
  expiry_s: number;
  numberFormat: (typeof formats)[number];
  country: string;
  codecs: string[];
  maxCalls: number;
  techPrefix: string;
  emergency: boolean;
  currency: string;
  enabled: boolean;
}

function valuesOf(c: Carrier | undefined): CarrierValues {
  return {
    id: c?.id ?? '',
    name: c?.name ?? '',
    host: c?.host ?? '',
    port: c?.port ?? 5060,
    transport: c?.transport ?? 'udp',
    mode: c?.auth.mode ?? 'ip',
    allow: c?.auth.allow?.join(', ') ?? '',
    username: c?.auth.mode === 'register' ? c.auth.username : '',
    password: c?.auth.mode === 'register' ? c.auth.password : '',
    registrar: c?.auth.mode === 'register' ? (c.auth.registrar ?? '') : '',
    expiry_s: c?.auth.mode === 'register' ? c.auth.expiry_s : 3600,
    numberFormat: c?.numberFormat ?? 'e164-plus',
    country: c?.country ?? '',
    codecs: c?.codecs ?? ['PCMA', 'PCMU', 'telephone-event'],
    maxCalls: c?.maxCalls ?? 30,
    techPrefix: c?.techPrefix ?? '',
    emergency: c?.emergency ?? true,
    currency: c?.currency ?? 'EUR',
    enabled: c?.enabled ?? true,
  };
}

function bodyOf(v: CarrierValues): CarrierBody {
  const allow = v.allow
    .split(/[\s,]+/)
    .map((a) => a.trim())
    .filter(Boolean);
  const auth =
    v.mode === 'ip'
      ? { mode: 'ip' as const, allow }
      : {
          mode: 'register' as const,
          username: v.username.trim(),
          password: v.password,
          ...(v.registrar.trim() ? { registrar: v.registrar.trim() } : {}),
          expiry_s: v.expiry_s,
          ...(allow.length > 0 ? { allow } : {}),
        };
  return {
    name: v.name.trim(),
    host: v.host.trim(),
    port: v.port,
    transport: v.transport,
    auth,
    numberFormat: v.numberFormat,
    // The server checks the country and codecs; the form only collects them.
    ...(v.country.trim()
      ? { country: v.country.trim().toUpperCase() as NonNullable<CarrierBody['country']> }
      : {}),
    codecs: v.codecs as NonNullable<CarrierBody['codecs']>,
    maxCalls: v.maxCalls,
    ...(v.techPrefix.trim() ? { techPrefix: v.techPrefix.trim() } : {}),
    emergency: v.emergency,
    currency: v.currency.trim().toUpperCase(),
    enabled: v.enabled,
  };
}

/** Server issue paths (`auth.username`, `codecs.0`) to form fields. */
function fieldOf(path: string): keyof CarrierValues | undefined {
  const [top, sub] = path.split('.');
  if (top === 'auth')
    return (
      (['allow', 'username', 'password', 'registrar', 'expiry_s'] as const).find((k) => k === sub) ?? 'mode'
    );
  const fields: (keyof CarrierValues)[] = [
    'id',
    'name',
    'host',
    'port',
    'transport',
    'numberFormat',
    'country',
    'codecs',
    'maxCalls',
    'techPrefix',
    'currency',
  ];
  return fields.find((k) => k === top);
}

function CarrierForm({
  carrier,
  onSaved,
}: {
  carrier: CarrierView | undefined;
  onSaved: (id: string) => void;
}) {
  const navigate = useNavigate();
  const [failure, setFailure] = useState<unknown>(undefined);
  // A new item arrives here saved, at its own address (see the navigate below).
  const arrived = useLocation().state as { saved?: boolean } | null;
  const [saved, setSaved] = useState(arrived?.saved === true);
  const form = useForm<CarrierValues>({ defaultValues: valuesOf(carrier?.config) });
  const { errors, isSubmitting } = form.formState;
  const mode = form.watch('mode');

  const save = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setSaved(false);
    try {
      const stored = await unwrap(
        api.PUT('/api/carriers/{carrierId}', {
          params: { path: { carrierId: values.id.trim() } },
          body: bodyOf(values),
        }),
      );
      setSaved(true);
      onSaved(stored.config.id);
      if (!carrier) navigate(`/carriers/${stored.config.id}`, { replace: true, state: { saved: true } });
    } catch (error) {
      setFailure(applyIssues(error, form.setError, fieldOf));
    }
  });

  const remove = (existing: CarrierView) =>
    confirmedRequest(
      `Delete carrier ${existing.config.id} and its rate deck?`,
      () =>
        unwrap(
          api.DELETE('/api/carriers/{carrierId}', { params: { path: { carrierId: existing.config.id } } }),
        ),
      () => navigate('/carriers'),
      setFailure,
    );

  return (
    <form onSubmit={save} noValidate>
      <ErrorNotice error={failure} />
      {saved ? <StatusNotice>Saved. Routing uses the change within a second.</StatusNotice> : null}
      <fieldset className="form-grid">
        <legend>Carrier</legend>
        <IdentityFields
          register={form.register}
          errors={errors}
          editing={carrier !== undefined}
          idHint="lowercase letters, digits and hyphens"
        />
        <Field label="Host" hint="host name or IP address" error={errors.host?.message}>
          <input {...form.register('host', { required: 'Enter the host' })} />
        </Field>
        <Field label="Port" error={errors.port?.message}>
          <input type="number" min={1} max={65535} {...form.register('port', { valueAsNumber: true })} />
        </Field>
        <Field label="Transport">
          <select {...form.register('transport')}>
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
            <option value="tls">TLS</option>
          </select>
        </Field>
        <CheckField label="Enabled (in routing)">
          <input {...form.register('enabled')} />
        </CheckField>
      </fieldset>
      <fieldset className="form-grid">
        <legend>How the carrier knows us</legend>
        <Field label="Authentication" error={errors.mode?.message}>
          <select {...form.register('mode')}>
            <option value="ip">By our address (the carrier allows our IP)</option>
            <option value="register">We register to the carrier</option>
          </select>
        </Field>
        {mode === 'register' ? (
          <>
            <Field label="User name" error={errors.username?.message}>
              <input autoComplete="off" {...form.register('username', { required: 'Enter the user name' })} />
            </Field>
            <Field
              label="Registration password"
              hint={
                carrier?.config.auth.mode === 'register'
                  ? `leave ${hiddenPassword} to keep the stored one`
                  : undefined
              }
              error={errors.password?.message}
            >
              <input
                type="password"
                autoComplete="new-password"
                {...form.register('password', { required: 'Enter the password' })}
              />
            </Field>
            <Field
              label="Registrar (optional)"
              hint="host or host:port; default the carrier's"
              error={errors.registrar?.message}
            >
              <input {...form.register('registrar')} />
            </Field>
            <Field label="Registration lifetime (s)" hint="60 to 86400" error={errors.expiry_s?.message}>
              <input
                type="number"
                min={60}
                max={86400}
                {...form.register('expiry_s', { valueAsNumber: true })}
              />
            </Field>
          </>
        ) : null}
        <Field
          label={mode === 'ip' ? 'Calls come from' : 'Calls may also come from (optional)'}
          hint="addresses or CIDR blocks, comma separated, e.g. 203.0.113.0/24"
          error={errors.allow?.message}
        >
          <input
            {...form.register('allow', mode === 'ip' ? { required: 'Enter at least one address' } : {})}
          />
        </Field>
      </fieldset>
      <fieldset className="form-grid">
        <legend>Numbers, codecs and limits</legend>
        <ChoiceField
          label="Number format"
          hint="how numbers are sent to it"
          error={errors.numberFormat?.message}
          choices={formats}
          register={form.register('numberFormat')}
        />
        <Field label="Country" hint="two letters; needed for national" error={errors.country?.message}>
          <input maxLength={2} {...form.register('country')} />
        </Field>
        <Field label="Tech prefix (optional)" hint="digits, # or *" error={errors.techPrefix?.message}>
          <input {...form.register('techPrefix')} />
        </Field>
        <Field label="Most calls at once" error={errors.maxCalls?.message}>
          <input type="number" min={1} {...form.register('maxCalls', { valueAsNumber: true })} />
        </Field>
        <Field label="Rate deck currency" hint="ISO 4217, e.g. EUR" error={errors.currency?.message}>
          <input maxLength={3} {...form.register('currency')} />
        </Field>
        <CheckField label="May carry emergency calls">
          <input {...form.register('emergency')} />
        </CheckField>
        <fieldset className="checks">
          <legend>Codecs</legend>
          {codecs.map((codec) => (
            <CheckField key={codec} label={codec}>
              <input value={codec} {...form.register('codecs', { required: 'Choose at least one codec' })} />
            </CheckField>
          ))}
          {errors.codecs?.message ? <span className="field-error">{errors.codecs.message}</span> : null}
        </fieldset>
      </fieldset>
      <EditorActions
        noun="carrier"
        submitting={isSubmitting}
        onDelete={carrier ? () => void remove(carrier) : undefined}
      />
    </form>
  );
}

function RateDeck({ carrier, onUploaded }: { carrier: CarrierView; onUploaded: () => void }) {
  const id = carrier.config.id;
  return (
    <Section title="Rate deck">
      <p>
        {carrier.deck
          ? `${carrier.deck.rows.toLocaleString()} rates in ${carrier.deck.currency}, imported ${new Date(carrier.deck.importedAt).toLocaleString()} from ${carrier.deck.source}.`
          : 'No rate deck yet: least-cost routing skips this carrier.'}
      </p>
      <FileUpload<Deck>
        label="Rate deck (CSV)"
        hint={
          <>
            Columns prefix, destination, rate_per_minute (and optionally connect_fee, billing_increment,
            effective_from). Every line is checked first; on any error the current deck stays.
          </>
        }
        accept=".csv,text/csv"
        contentType="text/csv"
        path={`/api/rates/carrier/${encodeURIComponent(id)}?source=console`}
        button="Upload rate deck"
        maxOctets={256 * 1024 * 1024}
        done={(deck) =>
          `Imported ${deck.rows.toLocaleString()} rates in ${deck.currency} (checked in ${deck.parseMilliseconds} ms, stored in ${deck.writeMilliseconds} ms).`
        }
        onUploaded={onUploaded}
      />
    </Section>
  );
}

/** Create or edit a carrier (SIP trunk), and upload its rate deck (operators). */
export function CarrierPage() {
  const { carrierId = 'new' } = useParams();
  const creating = carrierId === 'new';
  const carrier = useLoad(
    async () =>
      creating
        ? undefined
        : unwrap(api.GET('/api/carriers/{carrierId}', { params: { path: { carrierId } } })),
    [carrierId],
  );
  return (
    <Page
      title={creating ? 'New carrier' : `Carrier ${carrier.data?.config.name ?? carrierId}`}
      actions={<Link to="/carriers">All carriers</Link>}
    >
      <ErrorNotice error={carrier.error} />
      {carrier.loading && !carrier.data ? (
        <Loading />
      ) : carrier.error ? null : (
        <>
          {carrier.data ? (
            <p>
              {carrier.data.status.healthy
                ? 'Healthy'
                : `DOWN${carrier.data.status.healthReason ? `: ${carrier.data.status.healthReason}` : ''}`}
              ; {carrier.data.status.activeCalls} calls now
              {carrier.data.status.registration
                ? `; registration ${carrier.data.status.registration.state}`
                : ''}
              .
            </p>
          ) : null}
          <CarrierForm key={carrierId} carrier={carrier.data} onSaved={() => carrier.reload()} />
          {carrier.data ? <RateDeck carrier={carrier.data} onUploaded={carrier.reload} /> : null}
        </>
      )}
    </Page>
  );
}
