import { platforms } from '../../shared/platforms.js';
import { usePhoton } from '../lib/app-context.js';
import type { CanvasRoom } from './canvas-room.js';

/** The toolbar's folds: the step kinds, the inspector, the whole window. With the kinds folded, a menu adds a step. */
export function CanvasRoomButtons({ room, setRoom, onAdd }: { room: CanvasRoom; setRoom(patch: Partial<CanvasRoom>): void; onAdd(platform: string): void }) {
  const runnable = usePhoton((s) => s.system?.runnablePlatforms);
  return (
    <>
      {!room.palette && (
        <select
          className="button small"
          aria-label="Add a step"
          value=""
          onChange={(event) => {
            if (event.target.value) onAdd(event.target.value);
          }}
        >
          <option value="">+ Add step…</option>
          {platforms
            .filter((p) => runnable?.includes(p.id) ?? p.id === 'shell')
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
        </select>
      )}
      <button type="button" className="button small" aria-pressed={room.palette} onClick={() => setRoom({ palette: !room.palette })}>
        Step kinds
      </button>
      <button type="button" className="button small" aria-pressed={room.inspector} onClick={() => setRoom({ inspector: !room.inspector })}>
        Inspector
      </button>
      <button type="button" className="button small" aria-pressed={room.fullWindow} onClick={() => setRoom({ fullWindow: !room.fullWindow })}>
        {room.fullWindow ? 'Leave full window' : 'Full window'}
      </button>
    </>
  );
}
