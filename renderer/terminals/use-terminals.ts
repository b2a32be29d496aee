import { useServices } from '../lib/app-context.js';
import { terminalRegistry, type TerminalRegistry } from './terminal-registry.js';

/** The app's terminal registry (made on first use). */
export function useTerminals(): TerminalRegistry {
  const { client, store } = useServices();
  return terminalRegistry(client, store);
}
