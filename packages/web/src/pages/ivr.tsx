import { useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, type Body, type Ok, unwrap } from '../api/client.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { DestinationInput } from '../components/destination-input.js';
import { EditorActions } from '../components/editor-actions.js';
import { CheckField, Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { IdentityFields } from '../components/identity-fields.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Page } from '../components/page.js';
import { useDestinations } from '../components/use-destinations.js';
import { useLoad } from '../components/use-load.js';
import { WhenLoaded } from '../components/when-loaded.js';

type Menu = Ok<'/api/tenants/{tenantId}/ivrs/{id}', 'get'>;
type MenuBody = Body<'/api/tenants/{tenantId}/ivrs/{id}', 'put'>;
type Greeting = NonNullable<Menu['greeting']>;
type Prompt = Ok<'/api/tenants/{tenantId}/prompts', 'get'>[number];
type Schedule = Ok<'/api/tenants/{tenantId}/schedules', 'get'>[number];

const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;

interface MenuValues {
  id: string;
  name: string;
  number: string;
  greetingKind: 'default' | 'prompt' | 'text' | 'say';
  greetingPrompt: string;
  greetingText: string;
  greetingSay: string;
  options: { key: string; target: string }[];
  dialExtensions: boolean;
  timeout_s: number;
  interDigit_ms: number;
  maxAttempts: number;
  failover: string;
  schedule: string;
  closed: string;
  holiday: string;
}

function valuesOf(m: Menu | undefined): MenuValues {
  const g = m?.greeting;
  return {
    id: m?.id ?? '',
    name: m?.name ?? '',
    number: m?.number ?? '',
    greetingKind: !g ? 'default' : 'prompt' in g ? 'prompt' : 'text' in g ? 'text' : 'say',
    greetingPrompt: g && 'prompt' in g ? g.prompt : '',
    greetingText: g && 'text' in g ? g.text : '',
    greetingSay: g && 'say' in g ? g.say.join(', ') : '',
    options: Object.entries(m?.options ?? {})
      .sort(([a], [b]) => keys.indexOf(a as never) - keys.indexOf(b as never))
      .map(([key, target]) => ({ key, target })),
    dialExtensions: m?.dialExtensions ?? true,
    timeout_s: m?.timeout_s ?? 5,
    interDigit_ms: m?.interDigit_ms ?? 2000,
    maxAttempts: m?.maxAttempts ?? 3,
    failover: m?.failover ?? 'hangup',
    schedule: m?.hours?.schedule ?? '',
    closed: m?.hours?.closed ?? '',
    holiday: m?.hours?.holiday ?? '',
  };
}

function greetingOf(v: MenuValues): Greeting | undefined {
  switch (v.greetingKind) {
    case 'prompt':
      return { prompt: v.greetingPrompt };
    case 'text':
      return { text: v.greetingText.trim() };
    case 'say':
      return { say: v.greetingSay.split(/[\s,]+/).filter(Boolean) };
    default:
      return undefined;
  }
}

function bodyOf(v: MenuValues, original: Menu | undefined): MenuBody {
  const greeting = greetingOf(v);
  return {
    name: v.name.trim(),
    ...(v.number.trim() ? { number: v.number.trim() } : {}),
    ...(greeting ? { greeting } : {}),
    options: Object.fromEntries(
      v.options.filter((o) => o.target.trim()).map((o) => [o.key, o.target.trim()]),
    ),
    dialExtensions: v.dialExtensions,
    timeout_s: v.timeout_s,
    interDigit_ms: v.interDigit_ms,
    maxAttempts: v.maxAttempts,
    // Greetings for invalid keys and no input are kept as they were (the provisioning file sets them).
    ...(original?.invalidGreeting ? { invalidGreeting: original.invalidGreeting } : {}),
    ...(original?.timeoutGreeting ? { timeoutGreeting: original.timeoutGreeting } : {}),
    failover: v.failover.trim() || 'hangup',
    ...(v.schedule
      ? {
          hours: {
            schedule: v.schedule,
            closed: v.closed.trim(),
            ...(v.holiday.trim() ? { holiday: v.holiday.trim() } : {}),
          },
        }
      : {}),
  };
}

/** Server issue paths (`options.2`, `hours.closed`, `greeting.prompt`) to fields. */
function fieldOf(values: MenuValues) {
  return (path: string): string | undefined => {
    const [top, sub] = path.split('.');
    if (top === 'options' && sub !== undefined) {
      const index = values.options.findIndex((o) => o.key === sub);
      return index >= 0 ? `options.${index}.target` : undefined;
    }
    if (top === 'greeting')
      return values.greetingKind === 'prompt'
        ? 'greetingPrompt'
        : values.greetingKind === 'text'
          ? 'greetingText'
          : 'greetingSay';
    if (top === 'hours') return sub === 'schedule' ? 'schedule' : sub === 'holiday' ? 'holiday' : 'closed';
    return [
      'id',
      'name',
      'number',
      'timeout_s',
      'interDigit_ms',
      'maxAttempts',
      'failover',
      'dialExtensions',
    ].find((k) => k === top);
  };
}

function MenuForm({
  tenantId,
  menu,
  prompts,
  schedules,
}: {
  tenantId: string;
  menu: Menu | undefined;
  prompts: readonly Prompt[];
  schedules: readonly Schedule[];
}) {
  const navigate = useNavigate();
  const destinations = useDestinations(tenantId);
  const targets = [
    ...destinations,
    { value: 'repeat', label: 'Hear the menu again' },
    { value: 'directory', label: 'Dial by name' },
  ];
  const [failure, setFailure] = useState<unknown>(undefined);
  // A new item arrives here saved, at its own address (see the navigate below).
  const arrived = useLocation().state as { saved?: boolean } | null;
  const [saved, setSaved] = useState(arrived?.saved === true);
  const form = useForm<MenuValues>({ defaultValues: valuesOf(menu) });
  const options = useFieldArray({ control: form.control, name: 'options' });
  const { errors, isSubmitting } = form.formState;
  const kind = form.watch('greetingKind');
  const promptName = form.watch('greetingPrompt');
  const schedule = form.watch('schedule');
  const usedKeys = form.watch('options').map((o) => o.key);

  const save = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setSaved(false);
    const seen = new Set<string>();
    for (const [index, o] of values.options.entries()) {
      if (seen.has(o.key)) {
        form.setError(`options.${index}.key`, { message: `key ${o.key} is used twice` });
        return;
      }
      seen.add(o.key);
    }
    try {
      const stored = await unwrap(
        api.PUT('/api/tenants/{tenantId}/ivrs/{id}', {
          params: { path: { tenantId, id: values.id.trim() } },
          body: bodyOf(values, menu),
        }),
      );
      setSaved(true);
      if (!menu)
        navigate(`/tenants/${tenantId}/ivrs/${stored.id}`, { replace: true, state: { saved: true } });
    } catch (error) {
      setFailure(applyIssues(error, form.setError, fieldOf(values) as never));
    }
  });

  const remove = (existing: Menu) =>
    confirmedRequest(
      `Delete the menu ${existing.name}?`,
      () =>
        unwrap(
          api.DELETE('/api/tenants/{tenantId}/ivrs/{id}', {
            params: { path: { tenantId, id: existing.id } },
          }),
        ),
      () => navigate(`/tenants/${tenantId}/ivrs`),
      setFailure,
    );

  return (
    <form onSubmit={save} noValidate>
      <ErrorNotice error={failure} />
      {saved ? <StatusNotice>Saved. Calls use the menu within a second.</StatusNotice> : null}
      <fieldset className="form-grid">
        <legend>Menu</legend>
        <IdentityFields
          register={form.register}
          errors={errors}
          editing={menu !== undefined}
          idHint="lowercase letters, digits and hyphens; DIDs ring ivr:ID"
        />
        <Field
          label="Number to dial (optional)"
          hint="extensions reach the menu on it"
          error={errors.number?.message}
        >
          <input inputMode="numeric" {...form.register('number')} />
        </Field>
      </fieldset>
      <fieldset className="form-grid">
        <legend>Greeting</legend>
        <Field label="Callers hear">
          <select {...form.register('greetingKind')}>
            <option value="default">The default greeting</option>
            <option value="prompt">A recording uploaded for this tenant</option>
            <option value="text">Text, spoken by the speech synthesiser</option>
            <option value="say">Bundled prompts by id</option>
          </select>
        </Field>
        {kind === 'prompt' ? (
          <>
            <Field
              label="Recording"
              hint={prompts.length === 0 ? 'upload one on the Recordings page first' : undefined}
              error={errors.greetingPrompt?.message}
            >
              <select {...form.register('greetingPrompt', { required: 'Choose a recording' })}>
                <option value="">Choose…</option>
                {prompts.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name} ({Math.round(p.duration_ms / 100) / 10} s)
                  </option>
                ))}
              </select>
            </Field>
            {promptName ? (
              <div className="field">
                <span className="label-like" id="greeting-player-label">
                  Listen to {promptName}
                </span>
                {/* biome-ignore lint/a11y/useMediaCaption: a recorded greeting; its words are the menu's own */}
                <audio
                  controls
                  preload="none"
                  aria-labelledby="greeting-player-label"
                  src={`/api/tenants/${encodeURIComponent(tenantId)}/prompts/${encodeURIComponent(promptName)}/audio`}
                />
              </div>
            ) : null}
          </>
        ) : null}
        {kind === 'text' ? (
          <Field
            label="Text"
            hint="up to 1000 characters; rendered once and kept"
            error={errors.greetingText?.message}
          >
            <textarea rows={3} {...form.register('greetingText', { required: 'Enter the text' })} />
          </Field>
        ) : null}
        {kind === 'say' ? (
          <Field label="Prompt ids" hint="e.g. ivr-welcome, ivr-operator" error={errors.greetingSay?.message}>
            <input {...form.register('greetingSay', { required: 'Enter at least one prompt id' })} />
          </Field>
        ) : null}
      </fieldset>
      <fieldset className="options">
        <legend>Keys</legend>
        <p className="hint">
          A key sends the call to a destination (another menu is ivr:ID), repeats the menu or opens the
          dial-by-name directory.
        </p>
        <ul className="option-list">
          {options.fields.map((field, index) => (
            <li key={field.id} className="option-row">
              <Field label={`Key ${index + 1}`} error={errors.options?.[index]?.key?.message}>
                <select {...form.register(`options.${index}.key` as const)}>
                  {keys.map((k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={`Key ${index + 1} goes to`} error={errors.options?.[index]?.target?.message}>
                <DestinationInput
                  options={targets}
                  {...form.register(`options.${index}.target` as const, { required: 'Enter a destination' })}
                />
              </Field>
              <div className="field">
                <button type="button" className="danger small" onClick={() => options.remove(index)}>
                  Remove key {form.getValues(`options.${index}.key`)}
                </button>
              </div>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="secondary"
          disabled={options.fields.length >= keys.length}
          onClick={() =>
            options.append(
              { key: keys.find((k) => !usedKeys.includes(k)) ?? '1', target: '' },
              { shouldFocus: true },
            )
          }
        >
          Add a key
        </button>
      </fieldset>
      <fieldset className="form-grid">
        <legend>Timing and failover</legend>
        <CheckField label="Callers may dial an extension number">
          <input {...form.register('dialExtensions')} />
        </CheckField>
        <Field label="Wait for a key (s)" hint="1 to 60" error={errors.timeout_s?.message}>
          <input type="number" min={1} max={60} {...form.register('timeout_s', { valueAsNumber: true })} />
        </Field>
        <Field label="Wait between digits (ms)" hint="500 to 10000" error={errors.interDigit_ms?.message}>
          <input
            type="number"
            min={500}
            max={10000}
            step={100}
            {...form.register('interDigit_ms', { valueAsNumber: true })}
          />
        </Field>
        <Field label="Tries before failover" hint="1 to 10" error={errors.maxAttempts?.message}>
          <input type="number" min={1} max={10} {...form.register('maxAttempts', { valueAsNumber: true })} />
        </Field>
        <Field
          label="Then send the call to"
          hint="e.g. extension:1001 or hangup"
          error={errors.failover?.message}
        >
          <DestinationInput options={destinations} {...form.register('failover')} />
        </Field>
      </fieldset>
      <fieldset className="form-grid">
        <legend>Business hours</legend>
        <Field
          label="Schedule"
          hint={
            schedules.length === 0
              ? 'make a schedule first to use business hours'
              : 'outside its hours, calls go elsewhere'
          }
          error={errors.schedule?.message}
        >
          <select {...form.register('schedule')}>
            <option value="">Always open</option>
            {schedules.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name ?? s.id}
              </option>
            ))}
          </select>
        </Field>
        {schedule ? (
          <>
            <Field label="When closed, send calls to" error={errors.closed?.message}>
              <DestinationInput
                options={destinations}
                {...form.register('closed', { required: 'Enter where calls go when closed' })}
              />
            </Field>
            <Field
              label="On holidays (optional)"
              hint="empty: as when closed"
              error={errors.holiday?.message}
            >
              <DestinationInput options={destinations} {...form.register('holiday')} />
            </Field>
          </>
        ) : null}
      </fieldset>
      <EditorActions
        noun="menu"
        submitting={isSubmitting}
        onDelete={menu ? () => void remove(menu) : undefined}
      />
    </form>
  );
}

/** The IVR editor: greeting, keys, timing and business hours of one menu. */
export function IvrPage() {
  const { tenantId = '', id = 'new' } = useParams();
  const creating = id === 'new';
  const context = useLoad(async () => {
    const path = { params: { path: { tenantId } } };
    const [menus, prompts, schedules] = await Promise.all([
      unwrap(api.GET('/api/tenants/{tenantId}/ivrs', path)),
      unwrap(api.GET('/api/tenants/{tenantId}/prompts', path)),
      unwrap(api.GET('/api/tenants/{tenantId}/schedules', path)),
    ]);
    return { menu: menus.find((m) => m.id === id), prompts, schedules };
  }, [tenantId, id]);
  const menu = context.data?.menu;
  return (
    <Page
      title={creating ? 'New menu' : `Menu ${menu?.name ?? id}`}
      actions={<Link to={`/tenants/${tenantId}/ivrs`}>All menus of {tenantId}</Link>}
    >
      <ErrorNotice error={context.error} />
      <WhenLoaded load={context} missing={!creating && !menu ? `There is no menu ${id}.` : undefined}>
        {(data) => (
          <MenuForm
            key={id}
            tenantId={tenantId}
            menu={menu}
            prompts={data.prompts}
            schedules={data.schedules}
          />
        )}
      </WhenLoaded>
    </Page>
  );
}
