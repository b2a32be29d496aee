import { useState } from 'react';
import type { AuditEntry } from '../../shared/access.js';
import { useServices } from '../lib/app-context.js';
import { downloadText } from '../lib/download.js';
import { errorBody } from '../sync/report-error.js';
import { auditJsonLines, auditKindWords, isRefusal, shortDate } from './access-words.js';
import { LoadedRows } from './LoadedRows.js';
import { RowsTable, SettingsSection } from './SettingsSection.js';
import { shownAuditEntries, useAuditLog } from './use-access-data.js';

/** The audit log's newest entries, and the whole log exported as JSON lines. */
export function AuditSection() {
  const { client } = useServices();
  const [entries, reload] = useAuditLog();
  const [exporting, setExporting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const exportAll = async () => {
    setExporting(true);
    try {
      // Page by page, newest first, until the start of the log.
      const all: AuditEntry[] = [];
      for (;;) {
        const page = await client.call('audit.list', { limit: 10_000, before: all.at(-1)?.id });
        all.push(...page);
        if (page.length < 10_000) break;
      }
      downloadText(`photon-audit-${new Date().toISOString().slice(0, 10)}.jsonl`, auditJsonLines(all), 'application/jsonl');
      setProblem(null);
    } catch (error) {
      setProblem(`Could not export the log: ${errorBody(error).message}`);
    } finally {
      setExporting(false);
    }
  };

  return (
    <SettingsSection
      className="audit-section"
      title="Audit log"
      note={
        <>
          Failed sign-ins, each key's use, keys made and revoked, and requests refused for their scope, their rate, their host name or the page they
          came from. Repeats within a minute share one entry. Kept 90 days (at most 100,000 entries).
        </>
      }
      actions={
        <div className="section-actions">
          <button type="button" className="button small" onClick={() => void reload()}>
            Refresh
          </button>
          <button type="button" className="button small" disabled={exporting} onClick={() => void exportAll()}>
            {exporting ? 'Exporting…' : 'Export as JSON lines'}
          </button>
        </div>
      }
      problem={problem}
    >
      <LoadedRows loaded={entries} reading="Reading the log…" failed="Could not read the log" empty="Nothing recorded yet.">
        {(rows) => (
          <>
            <RowsTable label="Audit log" columns={['Time', 'Event', 'From', 'Key', 'Request', 'Detail']}>
              {rows.map((entry) => (
                <tr key={entry.id} className={isRefusal(entry.kind) ? 'refusal' : undefined}>
                  <td>{shortDate(entry.at)}</td>
                  <th scope="row">{auditKindWords[entry.kind]}</th>
                  <td>{entry.address ?? '—'}</td>
                  <td>{entry.keyName ? `${entry.keyName} (${entry.keyPrefix})` : (entry.keyPrefix ?? '—')}</td>
                  <td>{entry.target ? <code>{entry.target}</code> : '—'}</td>
                  <td>{entry.detail}</td>
                </tr>
              ))}
            </RowsTable>
            {rows.length >= shownAuditEntries && <p className="meta">The newest {shownAuditEntries} entries; the export holds them all.</p>}
          </>
        )}
      </LoadedRows>
    </SettingsSection>
  );
}
