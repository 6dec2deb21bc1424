import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { DestinationInput, destinationOptions } from '../components/destination-input.js';
import { EditorActions } from '../components/editor-actions.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { destinationText } from '../components/forwarding-fields.js';
import { IdentityFields } from '../components/identity-fields.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { WhenLoaded } from '../components/when-loaded.js';

type RingGroup = Ok<'/api/tenants/{tenantId}/ring-groups', 'get'>[number];

/** What the form needs of the tenant: its id, extensions and ring groups. */
interface Tenant {
  readonly id: string;
  readonly extensions: Ok<'/api/tenants/{tenantId}/extensions', 'get'>;
  readonly ringGroups: readonly RingGroup[];
}

interface GroupValues {
  id: string;
  name: string;
  number: string;
  strategy: RingGroup['strategy'];
  members: string;
  ringTime_s: number;
  timeout_s: number;
  finally: string;
}

function valuesOf(group: RingGroup | undefined): GroupValues {
  return {
    id: group?.id ?? '',
    name: group?.name ?? '',
    number: group?.number ?? '',
    strategy: group?.strategy ?? 'simultaneous',
    members:
      group?.members.map((m) => (m.ringTime_s ? `${m.extension}:${m.ringTime_s}` : m.extension)).join(', ') ??
      '',
    ringTime_s: group?.ringTime_s ?? 20,
    timeout_s: group?.timeout_s ?? 60,
    finally: destinationText(group?.finally) || 'hangup',
  };
}

/** "1001, 1002:15" → members; a member's own ring time after a colon. */
function membersFrom(text: string) {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((item) => {
      const [extension = '', ring] = item.split(':');
      return ring ? { extension, ringTime_s: Number(ring) } : extension;
    });
}

function fieldOf(path: string): keyof GroupValues | undefined {
  const top = path.split('.').find((p) => !/^\d+$/.test(p) && p !== 'ringGroups');
  if (top === 'members' || top === 'extension') return 'members';
  return (['id', 'name', 'number', 'strategy', 'ringTime_s', 'timeout_s', 'finally'] as const).find(
    (k) => k === top,
  );
}

function GroupForm({ tenant, group }: { tenant: Tenant; group: RingGroup | undefined }) {
  const navigate = useNavigate();
  const [failure, setFailure] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const form = useForm<GroupValues>({ defaultValues: valuesOf(group) });
  const { errors, isSubmitting } = form.formState;
  const options = destinationOptions(tenant.extensions, tenant.ringGroups);

  const save = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setSaved(false);
    try {
      const stored = await unwrap(
        api.PUT('/api/tenants/{tenantId}/ring-groups/{groupId}', {
          params: { path: { tenantId: tenant.id, groupId: values.id } },
          body: {
            name: values.name,
            ...(values.number.trim() ? { number: values.number.trim() } : {}),
            strategy: values.strategy,
            members: membersFrom(values.members),
            ringTime_s: values.ringTime_s,
            timeout_s: values.timeout_s,
            finally: values.finally.trim() || 'hangup',
          },
        }),
      );
      setSaved(true);
      if (!group) navigate(`/tenants/${tenant.id}/ring-groups/${stored.id}`, { replace: true });
    } catch (error) {
      setFailure(applyIssues(error, form.setError, fieldOf));
    }
  });

  const remove = (existing: RingGroup) =>
    confirmedRequest(
      `Delete ring group ${existing.name}?`,
      () =>
        unwrap(
          api.DELETE('/api/tenants/{tenantId}/ring-groups/{groupId}', {
            params: { path: { tenantId: tenant.id, groupId: existing.id } },
          }),
        ),
      () => navigate(`/tenants/${tenant.id}/ring-groups`),
      setFailure,
    );

  return (
    <form onSubmit={save} noValidate>
      <ErrorNotice error={failure} />
      {saved ? <StatusNotice>Saved.</StatusNotice> : null}
      <fieldset className="form-grid">
        <legend>Ring group</legend>
        <IdentityFields
          register={form.register}
          errors={errors}
          editing={group !== undefined}
          idHint="lowercase letters, digits and hyphens"
        />
        <Field
          label="Number to dial (optional)"
          hint="2 to 6 digits, not an extension's"
          error={errors.number?.message}
        >
          <input inputMode="numeric" {...form.register('number')} />
        </Field>
        <Field label="How members ring" error={errors.strategy?.message}>
          <select {...form.register('strategy')}>
            <option value="simultaneous">All at once</option>
            <option value="hunt">One after another (hunt)</option>
            <option value="roundRobin">Round robin</option>
          </select>
        </Field>
        <Field
          label="Members"
          hint={`extension numbers in order, e.g. 1001, 1002:15 (own ring time after a colon); this tenant has ${tenant.extensions.map((e) => e.number).join(', ')}`}
          error={errors.members?.message}
        >
          <input {...form.register('members', { required: 'Name at least one extension' })} />
        </Field>
        <Field label="Ring time per member (seconds)" error={errors.ringTime_s?.message}>
          <input type="number" min={5} max={300} {...form.register('ringTime_s', { valueAsNumber: true })} />
        </Field>
        <Field label="Give up after (seconds)" error={errors.timeout_s?.message}>
          <input type="number" min={5} max={3600} {...form.register('timeout_s', { valueAsNumber: true })} />
        </Field>
        <Field
          label="Then send the call to"
          hint="e.g. voicemail:1001 or hangup"
          error={errors.finally?.message}
        >
          <DestinationInput options={options} {...form.register('finally')} />
        </Field>
      </fieldset>
      <EditorActions
        noun="ring group"
        submitting={isSubmitting}
        onDelete={group ? () => void remove(group) : undefined}
      />
    </form>
  );
}

export function RingGroupPage() {
  const { tenantId = '', groupId = 'new' } = useParams();
  const tenant = useLoad(async (): Promise<Tenant> => {
    const path = { params: { path: { tenantId } } };
    const [extensions, ringGroups] = await Promise.all([
      unwrap(api.GET('/api/tenants/{tenantId}/extensions', path)),
      unwrap(api.GET('/api/tenants/{tenantId}/ring-groups', path)),
    ]);
    return { id: tenantId, extensions, ringGroups };
  }, [tenantId, groupId]);
  const group = tenant.data?.ringGroups.find((g) => g.id === groupId);
  const creating = groupId === 'new';
  return (
    <Page
      title={creating ? 'New ring group' : `Ring group ${group?.name ?? groupId}`}
      actions={<Link to={`/tenants/${tenantId}/ring-groups`}>All ring groups of {tenantId}</Link>}
    >
      <ErrorNotice error={tenant.error} />
      <WhenLoaded
        load={tenant}
        missing={!creating && !group ? `There is no ring group ${groupId}.` : undefined}
      >
        {(data) => <GroupForm key={groupId} tenant={data} group={group} />}
      </WhenLoaded>
    </Page>
  );
}
