import { usePhoton } from '../lib/app-context.js';
import { useDocumentTitle } from '../lib/use-document-title.js';
import { ViewTitle } from './ViewTitle.js';

export function HomeView() {
  const workflowCount = usePhoton((s) => s.workflows.list.length);
  const system = usePhoton((s) => s.system);
  useDocumentTitle(null);

  return (
    <article className="view home">
      <ViewTitle>Photon</ViewTitle>
      <p className="lead">Run multi-step workflows of shell tools and AI coding agents, and watch every step live.</p>
      {workflowCount === 0 ? (
        <p>
          Start by importing a workflow file (JSON) with <strong>Import…</strong> in the sidebar.
        </p>
      ) : (
        <p>Pick a workflow in the sidebar to see its steps and run it, or a recent run to follow it.</p>
      )}
      {system && (
        <p className="meta">
          Photon {system.version} · {system.host === 'electron' ? 'desktop app' : 'browser host'} · runs {system.runnablePlatforms.join(', ')} steps ·
          data in <code>{system.dataDir}</code>
        </p>
      )}
    </article>
  );
}
