import { useMemo } from 'react';
import { api, unwrap } from '../api/client.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { type InboxApi, VoicemailInbox } from '../voice/voicemail-inbox.js';

/** The signed-in extension owner's own voicemail box. */
export function MyVoicemailPage() {
  const box = useLoad(async () => {
    const extension = await unwrap(api.GET('/api/me/extension'));
    return extension.voicemail ? unwrap(api.GET('/api/me/voicemail')) : null;
  }, []);
  const inbox = useMemo<InboxApi>(
    () => ({
      list: (folder) =>
        unwrap(api.GET('/api/me/voicemail/messages', { params: { query: folder ? { folder } : {} } })),
      audioUrl: (m) => `/api/me/voicemail/messages/${m.id}/audio`,
      heard: (m) =>
        unwrap(api.POST('/api/me/voicemail/messages/{id}/heard', { params: { path: { id: m.id } } })),
      move: (m, folder) =>
        unwrap(
          api.POST('/api/me/voicemail/messages/{id}/move', {
            params: { path: { id: m.id } },
            body: { folder },
          }),
        ),
      remove: (m) =>
        unwrap(api.DELETE('/api/me/voicemail/messages/{id}', { params: { path: { id: m.id } } })),
    }),
    [],
  );
  const b = box.data;
  return (
    <Page title="My voicemail">
      <ErrorNotice error={box.error} />
      {b === null ? (
        <p>Your extension has no voicemail box. Ask your administrator for one.</p>
      ) : b ? (
        <Section title={`Box ${b.box}`}>
          <p>
            {b.counts.new} new and {b.counts.old} old messages. From your phone, dial *97 to listen and to
            record your greetings.
          </p>
        </Section>
      ) : box.error ? null : (
        <Loading />
      )}
      {b ? <VoicemailInbox inbox={inbox} reloadKey="me" /> : null}
    </Page>
  );
}
