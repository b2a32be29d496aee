// Every step of a run starts and ends a terminal, so a 1,000-step run sends thousands of
// terminal.updated events for terminals no tab shows. Each must leave the store as it was: a new
// state object, even an unchanged one, runs every subscriber's selector (each node's on both
// canvases), which was the largest cost left on the run page during a big run (issue 17).
import { describe, expect, it } from 'vitest';
import { createPhotonStore } from '../../renderer/store/store.js';
import { terminalInfo } from './fixtures.js';

describe('terminal.updated for terminals without a tab', () => {
  it('a burst of 1,000 step terminals starting and ending notifies no subscriber', () => {
    const store = createPhotonStore();
    const before = store.getState();
    let notified = 0;
    store.subscribe(() => notified++);
    for (let step = 1; step <= 1000; step++) {
      const owner = { runId: 'r1', step, attempt: 1 };
      store.getState().terminalUpdated(terminalInfo(`t${step}`, { owner }));
      store.getState().terminalUpdated(terminalInfo(`t${step}`, { owner, status: 'exited', exitCode: 0 }));
    }
    expect(notified).toBe(0);
    expect(store.getState()).toBe(before);
  });

  it('still applies the updates of a terminal a tab shows', () => {
    const store = createPhotonStore();
    store.getState().terminalTabOpened(terminalInfo('t1'));
    store.getState().terminalUpdated(terminalInfo('t1', { status: 'exited', exitCode: 3 }));
    expect(store.getState().terminals.info.t1).toMatchObject({ status: 'exited', exitCode: 3 });
  });
});
