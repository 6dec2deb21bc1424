import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { FileUpload } from '../components/file-upload.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { WhenLoaded } from '../components/when-loaded.js';

type Prompt = Ok<'/api/tenants/{tenantId}/prompts', 'get'>[number];
const column = createColumnHelper<Prompt>();
const namePattern = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** A tenant's recordings for menu greetings: upload with progress, listen, delete. */
export function PromptsPage() {
  const { tenantId = '' } = useParams();
  const prompts = useLoad(
    () => unwrap(api.GET('/api/tenants/{tenantId}/prompts', { params: { path: { tenantId } } })),
    [tenantId],
  );
  const [name, setName] = useState('');
  const [listening, setListening] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const validName = namePattern.test(name);
  const audio = (p: string) =>
    `/api/tenants/${encodeURIComponent(tenantId)}/prompts/${encodeURIComponent(p)}/audio`;

  const remove = (p: Prompt) =>
    confirmedRequest(
      `Delete the recording ${p.name}? Menus that play it fall back to "Thank you for calling."`,
      () => {
        setFailure(undefined);
        setDone(undefined);
        return unwrap(
          api.DELETE('/api/tenants/{tenantId}/prompts/{name}', {
            params: { path: { tenantId, name: p.name } },
          }),
        );
      },
      () => {
        if (listening === p.name) setListening(undefined);
        setDone(`${p.name} deleted.`);
        prompts.reload();
      },
      setFailure,
    );

  const columns = [
    column.accessor('name', { header: 'Name' }),
    column.accessor((p) => (p.source === 'speech' ? `speech: “${p.text ?? ''}”` : 'upload'), {
      id: 'source',
      header: 'From',
    }),
    column.accessor((p) => `${(p.duration_ms / 1000).toFixed(1)} s`, { id: 'length', header: 'Length' }),
    column.accessor((p) => new Date(p.createdAt).toLocaleString(), { id: 'created', header: 'Made' }),
    column.display({
      id: 'actions',
      header: 'Actions',
      cell: (c) => (
        <div className="row-actions">
          <button type="button" className="small" onClick={() => setListening(c.row.original.name)}>
            Listen to {c.row.original.name}
          </button>
          <button type="button" className="danger small" onClick={() => void remove(c.row.original)}>
            Delete {c.row.original.name}
          </button>
        </div>
      ),
    }),
  ];

  return (
    <Page title={`Recordings of ${tenantId}`} actions={<Link to={`/tenants/${tenantId}/ivrs`}>Menus</Link>}>
      <p className="muted">
        Menus greet callers with these (<code>greeting: {'{ prompt: NAME }'}</code>). Uploads may be any WAV:
        PCM, µ-law or A-law, any rate, mono or stereo, up to 20 MB and 5 minutes; they are kept as 8 kHz mono.
      </p>
      <ErrorNotice error={failure ?? prompts.error} />
      {done ? <StatusNotice>{done}</StatusNotice> : null}
      {listening ? (
        <figure className="player">
          <figcaption id="prompt-player-caption">Recording {listening}</figcaption>
          {/* biome-ignore lint/a11y/useMediaCaption: a recorded greeting; its words are in the menu */}
          <audio
            key={listening}
            controls
            autoPlay
            preload="auto"
            aria-labelledby="prompt-player-caption"
            src={audio(listening)}
          />
        </figure>
      ) : null}
      <WhenLoaded load={prompts}>
        {(data) => (
          <DataTable caption="Recordings" columns={columns as never} data={data} empty="No recordings yet." />
        )}
      </WhenLoaded>
      <Section title="Upload a recording">
        <div className="form-grid">
          <Field
            label="Name"
            hint="lowercase letters, digits and hyphens, e.g. welcome"
            error={name && !validName ? 'expected lowercase letters, digits and inner hyphens' : undefined}
          >
            <input value={name} onChange={(event) => setName(event.target.value)} />
          </Field>
        </div>
        <FileUpload<Prompt>
          label="WAV file"
          hint="replaces a recording of the same name"
          accept=".wav,audio/wav,audio/x-wav"
          contentType="audio/wav"
          path={validName ? `/api/tenants/${encodeURIComponent(tenantId)}/prompts/${name}` : undefined}
          button="Upload recording"
          maxOctets={20 * 1024 * 1024}
          done={(p) => `${p.name} uploaded: ${(p.duration_ms / 1000).toFixed(1)} s.`}
          onUploaded={() => {
            setName('');
            prompts.reload();
          }}
        />
      </Section>
    </Page>
  );
}
