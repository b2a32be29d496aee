import { usePhoton } from '../lib/app-context.js';
import { ImportProblemPanel } from './ImportProblemPanel.js';
import { ImportWorkflowButton } from './ImportWorkflowButton.js';
import { NewWorkflowButton } from './NewWorkflowButton.js';
import { WorkflowListItem } from './WorkflowListItem.js';

export function WorkflowsSection() {
  const workflows = usePhoton((s) => s.workflows.list);
  const loaded = usePhoton((s) => s.workflows.loaded);

  return (
    <section className="sidebar-section" aria-labelledby="workflows-heading">
      <div className="section-head">
        <h2 id="workflows-heading">Workflows</h2>
        <div className="section-actions">
          <NewWorkflowButton variant="small" />
          <ImportWorkflowButton />
        </div>
      </div>
      <ImportProblemPanel />
      {!loaded ? (
        <p className="empty">Loading…</p>
      ) : workflows.length === 0 ? (
        <p className="empty">No workflows yet. Make a new one, start from an example on the home page, or import a workflow file (JSON).</p>
      ) : (
        <ul className="nav-list">
          {workflows.map((workflow) => (
            <WorkflowListItem key={workflow.id} workflow={workflow} />
          ))}
        </ul>
      )}
    </section>
  );
}
