import { lazy, memo } from 'react';
import type { SessionToolCall } from '../../shared/sessions.js';
import { LazyPart } from '../components/LazyPart.js';
import { toolStatusWords } from './session-words.js';

const SessionEditDiff = lazy(() => import('./SessionEditDiff.js'));

/** One tool call: what it is, its status, the command it runs, its output and the edit it makes. */
export const ToolCallCard = memo(function ToolCallCard({ call, cwd }: { call: SessionToolCall; cwd: string | null }) {
  return (
    <article className={`tool-call tool-call-${call.status}`} aria-label={`Tool call: ${call.title || call.kind}`} data-kind={call.kind}>
      <header className="tool-call-head">
        <span className="tool-call-kind">{call.kind}</span>
        <span className="tool-call-title">{call.title || 'Tool call'}</span>
        <span className="tool-call-status" data-status={call.status}>
          {toolStatusWords[call.status]}
        </span>
      </header>
      {call.command && (
        <pre className="tool-call-command" aria-label="Command">
          <code>$ {call.command}</code>
        </pre>
      )}
      {call.output && (
        <details className="tool-call-output" open={call.output.length < 2000}>
          <summary>Output</summary>
          <pre>{call.output}</pre>
        </details>
      )}
      {call.diffs.length > 0 && (
        <LazyPart what="the diff" loading={<p className="meta">Loading the diff…</p>}>
          <SessionEditDiff diffs={call.diffs} cwd={cwd} />
        </LazyPart>
      )}
    </article>
  );
});
