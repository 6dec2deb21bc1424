import { useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, type Body, type Ok, unwrap } from '../api/client.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { EditorActions } from '../components/editor-actions.js';
import { CheckField, Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { WhenLoaded } from '../components/when-loaded.js';

type Schedule = Ok<'/api/tenants/{tenantId}/schedules', 'get'>[number];
type ScheduleBody = Body<'/api/tenants/{tenantId}/schedules/{id}', 'put'>;
type Day = Schedule['weekly'][number]['days'][number];
const days: readonly { day: Day; label: string }[] = [
  { day: 'mon', label: 'Monday' },
  { day: 'tue', label: 'Tuesday' },
  { day: 'wed', label: 'Wednesday' },
  { day: 'thu', label: 'Thursday' },
  { day: 'fri', label: 'Friday' },
  { day: 'sat', label: 'Saturday' },
  { day: 'sun', label: 'Sunday' },
];

interface ScheduleValues {
  id: string;
  name: string;
  timeZone: string;
  weekly: { days: Day[]; from: string; to: string }[];
  holidays: { date: string; until: string; name: string }[];
}

function valuesOf(s: Schedule | undefined): ScheduleValues {
  return {
    id: s?.id ?? '',
    name: s?.name ?? '',
    timeZone: s?.timeZone ?? '',
    weekly: s?.weekly.map((w) => ({ days: [...w.days], from: w.from, to: w.to })) ?? [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
    ],
    holidays: s?.holidays.map((h) => ({ date: h.date, until: h.until ?? '', name: h.name ?? '' })) ?? [],
  };
}

function bodyOf(v: ScheduleValues): ScheduleBody {
  return {
    ...(v.name.trim() ? { name: v.name.trim() } : {}),
    ...(v.timeZone.trim() ? { timeZone: v.timeZone.trim() } : {}),
    weekly: v.weekly.map((w) => ({ days: w.days, from: w.from, to: w.to })),
    holidays: v.holidays.map((h) => ({
      date: h.date,
      ...(h.until ? { until: h.until } : {}),
      ...(h.name.trim() ? { name: h.name.trim() } : {}),
    })),
  };
}

function fieldOf(path: string): string | undefined {
  const [top, index, leaf] = path.split('.');
  if ((top === 'weekly' || top === 'holidays') && index !== undefined && leaf !== undefined)
    return `${top}.${index}.${leaf}`;
  return ['id', 'name', 'timeZone'].find((k) => k === top);
}

function ScheduleForm({ tenantId, schedule }: { tenantId: string; schedule: Schedule | undefined }) {
  const navigate = useNavigate();
  const [failure, setFailure] = useState<unknown>(undefined);
  // A new item arrives here saved, at its own address (see the navigate below).
  const arrived = useLocation().state as { saved?: boolean } | null;
  const [saved, setSaved] = useState(arrived?.saved === true);
  const form = useForm<ScheduleValues>({ defaultValues: valuesOf(schedule) });
  const weekly = useFieldArray({ control: form.control, name: 'weekly' });
  const holidays = useFieldArray({ control: form.control, name: 'holidays' });
  const { errors, isSubmitting } = form.formState;

  const save = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setSaved(false);
    try {
      const stored = await unwrap(
        api.PUT('/api/tenants/{tenantId}/schedules/{id}', {
          params: { path: { tenantId, id: values.id.trim() } },
          body: bodyOf(values),
        }),
      );
      setSaved(true);
      if (!schedule)
        navigate(`/tenants/${tenantId}/schedules/${stored.id}`, { replace: true, state: { saved: true } });
    } catch (error) {
      setFailure(applyIssues(error, form.setError, fieldOf as never));
    }
  });

  const remove = (existing: Schedule) =>
    confirmedRequest(
      `Delete the schedule ${existing.name ?? existing.id}?`,
      () =>
        unwrap(
          api.DELETE('/api/tenants/{tenantId}/schedules/{id}', {
            params: { path: { tenantId, id: existing.id } },
          }),
        ),
      () => navigate(`/tenants/${tenantId}/ivrs`),
      setFailure,
    );

  return (
    <form onSubmit={save} noValidate>
      <ErrorNotice error={failure} />
      {saved ? <StatusNotice>Saved. Menus follow it within a second.</StatusNotice> : null}
      <fieldset className="form-grid">
        <legend>Schedule</legend>
        <Field label="Id" hint="lowercase letters, digits and hyphens" error={errors.id?.message}>
          <input readOnly={schedule !== undefined} {...form.register('id', { required: 'Enter an id' })} />
        </Field>
        <Field label="Name (optional)" error={errors.name?.message}>
          <input {...form.register('name')} />
        </Field>
        <Field
          label="Time zone (optional)"
          hint="IANA, e.g. Europe/Berlin; empty: the tenant's"
          error={errors.timeZone?.message}
        >
          <input {...form.register('timeZone')} />
        </Field>
      </fieldset>
      <fieldset className="options">
        <legend>Opening hours</legend>
        <ul className="option-list">
          {weekly.fields.map((field, index) => (
            <li key={field.id} className="option-row">
              <fieldset className="checks days">
                <legend>Days of opening hours {index + 1}</legend>
                {days.map((d) => (
                  <CheckField key={d.day} label={d.label}>
                    <input
                      value={d.day}
                      {...form.register(`weekly.${index}.days` as const, { required: 'Choose a day' })}
                    />
                  </CheckField>
                ))}
                {errors.weekly?.[index]?.days?.message ? (
                  <span className="field-error">{errors.weekly[index]?.days?.message}</span>
                ) : null}
              </fieldset>
              <Field label={`Opens (hours ${index + 1})`} error={errors.weekly?.[index]?.from?.message}>
                <input
                  type="time"
                  {...form.register(`weekly.${index}.from` as const, { required: 'Enter a time' })}
                />
              </Field>
              <Field
                label={`Closes (hours ${index + 1})`}
                hint="00:00 to 24:00"
                error={errors.weekly?.[index]?.to?.message}
              >
                <input {...form.register(`weekly.${index}.to` as const, { required: 'Enter a time' })} />
              </Field>
              <div className="field">
                <button type="button" className="danger small" onClick={() => weekly.remove(index)}>
                  Remove hours {index + 1}
                </button>
              </div>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="secondary"
          onClick={() => weekly.append({ days: ['sat'], from: '10:00', to: '13:00' }, { shouldFocus: false })}
        >
          Add opening hours
        </button>
      </fieldset>
      <fieldset className="options">
        <legend>Holidays (closed all day)</legend>
        <ul className="option-list">
          {holidays.fields.map((field, index) => (
            <li key={field.id} className="option-row">
              <Field label={`Holiday ${index + 1} date`} error={errors.holidays?.[index]?.date?.message}>
                <input
                  type="date"
                  {...form.register(`holidays.${index}.date` as const, { required: 'Enter a date' })}
                />
              </Field>
              <Field
                label={`Holiday ${index + 1} until (optional)`}
                error={errors.holidays?.[index]?.until?.message}
              >
                <input type="date" {...form.register(`holidays.${index}.until` as const)} />
              </Field>
              <Field
                label={`Holiday ${index + 1} name (optional)`}
                error={errors.holidays?.[index]?.name?.message}
              >
                <input {...form.register(`holidays.${index}.name` as const)} />
              </Field>
              <div className="field">
                <button type="button" className="danger small" onClick={() => holidays.remove(index)}>
                  Remove holiday {index + 1}
                </button>
              </div>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="secondary"
          onClick={() => holidays.append({ date: '', until: '', name: '' }, { shouldFocus: true })}
        >
          Add a holiday
        </button>
      </fieldset>
      <EditorActions
        noun="schedule"
        submitting={isSubmitting}
        onDelete={schedule ? () => void remove(schedule) : undefined}
      />
    </form>
  );
}

function TenantTimeZone({ tenantId, current }: { tenantId: string; current: string | undefined }) {
  const [zone, setZone] = useState(current ?? 'UTC');
  const [failure, setFailure] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);
  const save = async () => {
    setFailure(undefined);
    setDone(false);
    try {
      await unwrap(
        api.PUT('/api/tenants/{tenantId}/time-zone', {
          params: { path: { tenantId } },
          body: { timeZone: zone.trim() },
        }),
      );
      setDone(true);
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <Section title="The tenant's time zone">
      <div className="form-grid">
        <Field label="Time zone" hint="IANA, e.g. Europe/Berlin; schedules without their own use it">
          <input value={zone} onChange={(event) => setZone(event.target.value)} />
        </Field>
        <div className="form-actions">
          <button type="button" onClick={() => void save()}>
            Save time zone
          </button>
        </div>
      </div>
      <ErrorNotice error={failure} />
      {done ? <StatusNotice>Time zone saved.</StatusNotice> : null}
    </Section>
  );
}

/** Business hours and holidays (time conditions) that menus follow. */
export function SchedulePage() {
  const { tenantId = '', id = 'new' } = useParams();
  const creating = id === 'new';
  const context = useLoad(async () => {
    const path = { params: { path: { tenantId } } };
    const [schedules, tenant] = await Promise.all([
      unwrap(api.GET('/api/tenants/{tenantId}/schedules', path)),
      unwrap(api.GET('/api/tenants/{tenantId}', path)),
    ]);
    return { schedule: schedules.find((s) => s.id === id), timeZone: tenant.timeZone };
  }, [tenantId, id]);
  const schedule = context.data?.schedule;
  return (
    <Page
      title={creating ? 'New schedule' : `Schedule ${schedule?.name ?? id}`}
      actions={<Link to={`/tenants/${tenantId}/ivrs`}>Menus and schedules of {tenantId}</Link>}
    >
      <ErrorNotice error={context.error} />
      <WhenLoaded load={context} missing={!creating && !schedule ? `There is no schedule ${id}.` : undefined}>
        {(data) => (
          <>
            <ScheduleForm key={id} tenantId={tenantId} schedule={schedule} />
            <TenantTimeZone tenantId={tenantId} current={data.timeZone} />
          </>
        )}
      </WhenLoaded>
    </Page>
  );
}
