import { platforms } from '../../shared/platforms.js';
import { usePhoton } from '../lib/app-context.js';
import { withArticle } from '../lib/words.js';

/** The drag type that carries a platform id from the palette to the canvas. */
export const paletteMime = 'application/x-photon-step';

/**
 * Step kinds from the engine's runnable platforms; the others are listed, disabled, as coming
 * soon. Drag one onto the canvas, or press it to add a step in the middle of the view.
 */
export function Palette({ onAdd }: { onAdd: (platform: string) => void }) {
  const runnable = usePhoton((s) => s.system?.runnablePlatforms);
  return (
    <section className="canvas-palette" aria-label="Step palette">
      <h2 className="canvas-panel-title">Steps</h2>
      <ul>
        {platforms.map((p) => {
          const enabled = runnable?.includes(p.id) ?? p.id === 'shell';
          return (
            <li key={p.id}>
              <button
                type="button"
                className="palette-item"
                data-platform={p.id}
                draggable={enabled}
                disabled={!enabled}
                title={enabled ? `Drag onto the canvas, or press to add ${withArticle(p.label)} step` : `${p.label}: coming soon`}
                onDragStart={(event) => {
                  event.dataTransfer.setData(paletteMime, p.id);
                  event.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => onAdd(p.id)}
              >
                <span>{p.label}</span>
                {!enabled && <span className="palette-soon">coming soon</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
