import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { Field } from '../components/field.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { type InboxApi, VoicemailInbox } from '../voice/voicemail-inbox.js';

/** Every voicemail box of a tenant, one at a time or all together (tenant admins and operators). */
export function VoicemailPage() {
  const { tenantId = '' } = useParams();
  const extensions = useLoad(
    () => unwrap(api.GET('/api/tenants/{tenantId}/extensions', { params: { path: { tenantId } } })),
    [tenantId],
  );
  const boxes = extensions.data?.filter((e) => e.voicemail) ?? [];
  const [box, setBox] = useState('');
  const details = useLoad(
    async () =>
      box
        ? unwrap(
            api.GET('/api/tenants/{tenantId}/voicemail/boxes/{box}', { params: { path: { tenantId, box } } }),
          )
        : undefined,
    [tenantId, box],
  );
  const inbox = useMemo<InboxApi>(
    () => ({
      list: (folder) =>
        unwrap(
          api.GET('/api/tenants/{tenantId}/voicemail/messages', {
            params: { path: { tenantId }, query: { ...(box ? { box } : {}), ...(folder ? { folder } : {}) } },
          }),
        ),
      audioUrl: (m) => `/api/tenants/${encodeURIComponent(tenantId)}/voicemail/messages/${m.id}/audio`,
      heard: (m) =>
        unwrap(
          api.POST('/api/tenants/{tenantId}/voicemail/messages/{id}/heard', {
            params: { path: { tenantId, id: m.id } },
          }),
        ),
      move: (m, folder) =>
        unwrap(
          api.POST('/api/tenants/{tenantId}/voicemail/messages/{id}/move', {
            params: { path: { tenantId, id: m.id } },
            body: { folder },
          }),
        ),
      remove: (m) =>
        unwrap(
          api.DELETE('/api/tenants/{tenantId}/voicemail/messages/{id}', {
            params: { path: { tenantId, id: m.id } },
          }),
        ),
    }),
    [tenantId, box],
  );
  const d = details.data;
  return (
    <Page title={`Voicemail of ${tenantId}`}>
      <ErrorNotice error={extensions.error ?? details.error} />
      {extensions.data ? (
        <div className="filters form-grid">
          <Field label="Box" hint={boxes.length === 0 ? 'no extension has a voicemail box yet' : undefined}>
            <select value={box} onChange={(event) => setBox(event.target.value)}>
              <option value="">All boxes</option>
              {boxes.map((e) => (
                <option key={e.number} value={e.number}>
                  {e.number} {e.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
      ) : (
        <Loading />
      )}
      {d ? (
        <Section title={`Box ${d.box}: ${d.name}`}>
          <p>
            {d.counts.new} new, {d.counts.old} old; {d.enabled ? 'taking messages' : 'switched off'}
            {d.email ? `; notices to ${d.email}` : ''}. Greetings recorded:{' '}
            {(['unavailable', 'busy', 'name'] as const).filter((g) => d.greetings[g]).join(', ') ||
              'none (the default ones play)'}
            .
          </p>
        </Section>
      ) : null}
      <VoicemailInbox inbox={inbox} reloadKey={`${tenantId}/${box}`} />
    </Page>
  );
}
