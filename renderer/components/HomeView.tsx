import { useMemo } from 'react';
import { createNewWorkflow } from '../canvas/new-workflow.js';
import { examples } from '../canvas/templates/index.js';
import { isDesktopWindow } from '../client/pick-transport.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import { hostWords } from '../lib/host-words.js';
import { useDocumentTitle } from '../lib/use-document-title.js';
import { keyLabel } from '../palette/shortcuts.js';
import { WorktreesUsage } from '../workspaces/WorktreesUsage.js';
import { NewWorkflowButton } from './NewWorkflowButton.js';
import { ViewTitle } from './ViewTitle.js';

/** The bundled examples, each one click from a workflow of its own on the canvas. */
function Examples({ first }: { first: boolean }) {
  const { client, store, actions } = useServices();
  const create = useMemo(() => createNewWorkflow(client, store, actions.navigate), [actions.navigate, client, store]);
  return (
    <section className="home-examples" aria-labelledby="examples-heading">
      <h2 id="examples-heading">{first ? 'Start from an example' : 'Examples'}</h2>
      <ul className="example-list">
        {examples.map((example) => (
          <li key={example.id} className="example-card">
            <h3>{example.workflow.name}</h3>
            {example.workflow.description && <p>{example.workflow.description}</p>}
            <p className="meta">{example.workflow.workflow.length} steps</p>
            <button type="button" className="button small" onClick={() => void create(example)} aria-label={`Use the example “${example.workflow.name}”`}>
              Use this example
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function HomeView() {
  const workflowCount = usePhoton((s) => s.workflows.list.length);
  const loaded = usePhoton((s) => s.workflows.loaded);
  const system = usePhoton((s) => s.system);
  useDocumentTitle(null);
  const first = loaded && workflowCount === 0;

  return (
    <article className="view home">
      <ViewTitle>Photon</ViewTitle>
      <p className="lead">Run multi-step workflows of shell tools and AI coding agents, and watch every step live.</p>
      <div className="home-actions">
        <NewWorkflowButton variant="primary" />
        <span className="meta">
          {first ? 'or import a workflow file (JSON) with Import… in the sidebar.' : 'or pick a workflow in the sidebar, or a recent run to follow it.'} Press{' '}
          <kbd>{keyLabel('Mod+K')}</kbd> for every command, <kbd>?</kbd> for the shortcuts.
        </span>
      </div>
      {loaded && <Examples first={first} />}
      <WorktreesUsage />
      {system && (
        <p className="meta">
          Photon {system.version} · {hostWords(system.host, isDesktopWindow(window)).long} · runs {system.runnablePlatforms.join(', ')} steps ·
          data in <code>{system.dataDir}</code>
        </p>
      )}
    </article>
  );
}
