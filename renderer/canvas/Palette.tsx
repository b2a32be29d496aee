import { platforms } from '../../shared/platforms.js';
import { usePhoton } from '../lib/app-context.js';
import { withArticle } from '../lib/words.js';
import { KindIcon } from './KindIcon.js';
import { decisionKinds } from './step-kind.js';

/** The drag type that carries a platform id (or a decision kind's palette id) from the palette to the canvas. */
export const paletteMime = 'application/x-photon-step';

/**
 * Step kinds from the engine's runnable platforms; the others are listed, disabled, as coming
 * soon. Below them the decisions (a gate, a sub-workflow, fan-out, race), Photon's own. Drag one
 * onto the canvas, or press it (Enter or Space) to add a step in the middle of the view.
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
      <h2 className="canvas-panel-title palette-group-title">Decisions</h2>
      <ul>
        {decisionKinds.map((k) => (
          <li key={k.paletteId}>
            <button
              type="button"
              className="palette-item palette-decision"
              data-kind={k.paletteId}
              draggable
              title={`${k.description} Drag onto the canvas, or press to add one.`}
              onDragStart={(event) => {
                event.dataTransfer.setData(paletteMime, k.paletteId);
                event.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => onAdd(k.paletteId)}
            >
              <span className="palette-decision-name">
                <KindIcon kind={k.kind} decorative /> {k.label}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
