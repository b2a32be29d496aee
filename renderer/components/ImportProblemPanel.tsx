import { useServices, usePhoton } from '../lib/app-context.js';

/** Why an imported file was refused: every issue with its place in the file. */
export function ImportProblemPanel() {
  const { store } = useServices();
  const problem = usePhoton((s) => s.importProblem);
  if (!problem) return null;

  return (
    <div className="import-problem" role="alert">
      <p>
        <strong>{problem.fileName}</strong> was not imported:
      </p>
      <ul>
        {problem.issues.map((issue, index) => (
          <li key={index}>
            <code>{issue.path || 'file'}</code> {issue.message}
          </li>
        ))}
      </ul>
      <button type="button" className="button small" onClick={() => store.getState().setImportProblem(null)}>
        Dismiss
      </button>
    </div>
  );
}
