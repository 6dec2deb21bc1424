import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { api, type Ok, unwrap } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Audit = Ok<'/api/commune/audit', 'get'>;
type LogRow = Ok<'/api/commune/log', 'get'>['rows'][number];
const logColumn = createColumnHelper<LogRow>();
const shown = 20;

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

function AuditResult({ audit }: { audit: Audit }) {
  return (
    <Section title="Audit result">
      {audit.ok ? (
        <StatusNotice>
          The audit passed: {audit.entries} entries and {audit.events} events replayed from scratch, every
          command decided again to the same events, every invariant held, the hash chain is intact and the
          stored ledger agrees.
        </StatusNotice>
      ) : (
        <p className="notice notice-error" role="alert">
          The audit found {audit.differences.length} difference(s) and {audit.violations.length} violation(s).
        </p>
      )}
      <dl className="facts">
        <dt>Hash chain</dt>
        <dd>
          {audit.chain.valid
            ? `valid over ${audit.chain.entries} entries`
            : `BROKEN at entry ${audit.chain.first_invalid?.seq}: ${audit.chain.first_invalid?.reason}`}
        </dd>
        <dt>Chain head</dt>
        <dd>
          <code className="hash">{audit.chain.head}</code>
        </dd>
        <dt>State digest</dt>
        <dd>
          <code className="hash">{audit.state_digest}</code>
        </dd>
      </dl>
      {audit.differences.length > 0 ? (
        <ul aria-label="Differences">
          {audit.differences.map((d) => (
            <li key={`${d.seq}-${d.what}-${d.detail}`}>
              {d.seq === null ? '' : `entry ${d.seq}: `}
              {d.what}: {d.detail}
            </li>
          ))}
        </ul>
      ) : null}
      {audit.violations.length > 0 ? (
        <ul aria-label="Violations">
          {audit.violations.map((v) => (
            <li key={`${v.invariant}-${v.message}`}>
              {v.code} ({v.invariant}): {v.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

/** Replays the commune's whole log and checks it; shows the head of the hash chain and the latest entries. */
export function CommuneAuditPage() {
  const summary = useLoad(() => unwrap(api.GET('/api/commune')), []);
  const entries = summary.data?.entries ?? 0;
  const log = useLoad(
    async () =>
      entries === 0
        ? undefined
        : unwrap(
            api.GET('/api/commune/log', {
              params: { query: { from: Math.max(1, entries - shown + 1), limit: shown } },
            }),
          ),
    [entries],
  );
  const [audit, setAudit] = useState<Audit | undefined>(undefined);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);
  const run = async () => {
    setRunning(true);
    setFailure(undefined);
    setAudit(undefined);
    try {
      setAudit(await unwrap(api.GET('/api/commune/audit')));
      summary.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setRunning(false);
    }
  };
  const columns = [
    logColumn.accessor('seq', { header: 'Entry' }),
    logColumn.accessor('date', { header: 'Date' }),
    logColumn.accessor('command', { header: 'Command' }),
    logColumn.accessor((r) => r.events.join(', '), { id: 'events', header: 'Events' }),
    logColumn.accessor((r) => short(r.hash), { id: 'hash', header: 'Hash' }),
    logColumn.accessor((r) => short(r.prev_hash), { id: 'prev', header: 'Previous' }),
  ];
  return (
    <Page title="Audit">
      <p>
        Everything the commune is can be re-derived from its log. Each entry is chained to the one before by
        its SHA-256 hash, so changing, dropping or reordering any entry breaks every hash after it.
      </p>
      <ErrorNotice error={summary.error ?? failure} />
      {summary.data ? (
        <dl className="facts">
          <dt>Entries</dt>
          <dd>{summary.data.entries}</dd>
          <dt>Head of the chain</dt>
          <dd>
            <code className="hash">{summary.data.head}</code>
          </dd>
        </dl>
      ) : (
        <Loading />
      )}
      <div className="form-actions">
        <button type="button" onClick={() => void run()} disabled={running}>
          {running ? 'Auditing…' : 'Run the audit'}
        </button>
      </div>
      {running ? <Loading /> : null}
      {audit ? <AuditResult audit={audit} /> : null}
      <ErrorNotice error={log.error} />
      {log.data ? (
        <DataTable
          caption={`The latest ${log.data.rows.length} log entries`}
          columns={columns as never}
          data={[...log.data.rows].reverse()}
          empty="The log is empty."
        />
      ) : null}
    </Page>
  );
}
