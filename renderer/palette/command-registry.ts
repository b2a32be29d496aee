import { useEffect, useRef } from 'react';

/** One entry of the command palette: an action, or a thing to go to (a workflow, run, agent, terminal, step). */
export interface PaletteCommand {
  /** Unique in the palette; also what cmdk ranks against, with the title and keywords. */
  id: string;
  group: CommandGroup;
  title: string;
  /** A second, quieter line: a run's status, a terminal's folder. */
  detail?: string;
  keywords?: string[];
  /** Shown beside the title, as the shortcuts list writes it. */
  shortcut?: string;
  run(): void;
}

/** Groups in the order the palette shows them. */
export const commandGroups = ['Actions', 'This workflow', 'Steps', 'Workflows', 'Runs', 'Sessions', 'Agents', 'Terminals'] as const;
export type CommandGroup = (typeof commandGroups)[number];

type Provider = () => PaletteCommand[];
const providers = new Map<string, Provider>();

/**
 * Views add the commands that only make sense while they are shown (the canvas: Save, Run, go
 * to a step). Providers are asked when the palette opens, so their commands see the state then.
 */
export function contributeCommands(key: string, provider: Provider): () => void {
  providers.set(key, provider);
  return () => {
    if (providers.get(key) === provider) providers.delete(key);
  };
}

export function contributedCommands(): PaletteCommand[] {
  return [...providers.values()].flatMap((provide) => provide());
}

/** Contributes `provide`'s commands while the calling component is mounted; the latest closure is used. */
export function useCommandContribution(key: string, provide: Provider): void {
  const latest = useRef(provide);
  latest.current = provide;
  useEffect(() => contributeCommands(key, () => latest.current()), [key]);
}
