import { useEffect, useState } from 'react';
import type { RunTimeline } from '../../shared/runs.js';
import { useServices, usePhoton } from '../lib/app-context.js';
import { errorBody, reportBackgroundError } from '../sync/report-error.js';

const minReadIntervalMs = 1000;

export interface TimelineState {
  timeline: RunTimeline | null;
  /** Why it could not be read (the run is gone). */
  error: string | null;
}

/**
 * A run's attempts, read again whenever one of its steps changes, and once a second while one
 * of its attempts runs (its resource peaks climb). Reads never overlap: a change during a read
 * asks for one more read after it.
 */
export function useRunTimeline(runId: string | null): TimelineState {
  const { client, store } = useServices();
  const linkOpen = usePhoton((s) => s.connection.status === 'open');
  const [state, setState] = useState<TimelineState & { runId: string | null }>({ runId: null, timeline: null, error: null });

  useEffect(() => {
    if (runId === null || !linkOpen) return;
    let stopped = false;
    let reading = false;
    let again = false;
    let running = false;
    let lastRead = -Infinity;
    let timer: ReturnType<typeof setTimeout> | undefined;

    // At most one read a second: a big run changes steps hundreds of times a second, and each
    // read sent, parsed and laid out every attempt of the run again. The last change is always read.
    const soon = () => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        void read();
      }, Math.max(0, lastRead + minReadIntervalMs - Date.now()));
    };

    const read = async () => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      lastRead = Date.now();
      try {
        do {
          again = false;
          try {
            const timeline = await client.call('runs.timeline', { runId });
            if (stopped) return;
            running = timeline.attempts.some((a) => a.finishedAt === null);
            setState({ runId, timeline, error: null });
          } catch (error) {
            if (stopped) return;
            const body = errorBody(error);
            if (body.code === 'not_found') setState({ runId, timeline: null, error: body.message });
            else reportBackgroundError(store, 'Could not read the run timeline', error);
            return;
          }
        } while (again && !stopped);
      } finally {
        reading = false;
      }
    };

    void read();
    const stops = [
      client.on('step.updated', (payload) => {
        if (payload.runId === runId) soon();
      }),
      client.on('run.updated', (summary) => {
        if (summary.runId === runId) soon();
      }),
      store.subscribe((s, previous) => {
        if (running && s.metrics.snapshot !== previous.metrics.snapshot && !reading) soon();
      }),
    ];
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const stop of stops) stop();
    };
  }, [client, store, runId, linkOpen]);

  // A link that drops keeps the last timeline on screen; another run's is never shown.
  return state.runId === runId ? state : { timeline: null, error: null };
}
