import { useMemo, useState } from 'react';
import { WorkflowStepsTable } from '../components/WorkflowStepsTable.js';
import { usePhoton } from '../lib/app-context.js';

/** Above this many steps the list waits to be asked for, so a large canvas opens fast. */
const listLimit = 100;

/** The canvas's steps as a table: the same graph for screen readers and keyboard users. */
export function StepList() {
  const nodes = usePhoton((s) => s.canvas.nodes);
  const [shown, setShown] = useState(false);
  const steps = useMemo(() => (nodes.length <= listLimit || shown ? nodes.map((n) => n.data.step) : []), [nodes, shown]);
  if (nodes.length > listLimit && !shown) {
    return (
      <button type="button" className="button small canvas-list-toggle" onClick={() => setShown(true)}>
        Show all {nodes.length} steps as a list
      </button>
    );
  }
  return <WorkflowStepsTable steps={steps} />;
}
