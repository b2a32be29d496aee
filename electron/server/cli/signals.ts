/** Signals that mean "stop": Ctrl-C, a polite kill, the terminal going away. */
const stopSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Calls `handler` for every stop signal (with how many arrived so far) instead of dying, so a
 * command can stop its processes first. Returns the function that restores the defaults.
 */
export function onStopSignal(handler: (signal: NodeJS.Signals, count: number) => void): () => void {
  let count = 0;
  const listener = (signal: NodeJS.Signals) => handler(signal, ++count);
  for (const signal of stopSignals) process.on(signal, listener);
  return () => {
    for (const signal of stopSignals) process.off(signal, listener);
  };
}
