import type { OptionSpec, OptionSpecs, ParsedArgs } from './args.js';

/** One `photon` subcommand: its help and what it does. Resolves with the exit code. */
export interface Command {
  name: string;
  summary: string;
  /** Arguments after the command's name, as help shows them. */
  usage: string;
  description: string;
  positionals: string[];
  options: OptionSpecs;
  run(args: ParsedArgs): Promise<number>;
}

export const dataDirOption: OptionSpec = {
  type: 'string',
  value: 'DIR',
  description: 'Data folder (history, logs). Default: $PHOTON_DATA_DIR, else the desktop app\'s folder.',
};

export const jsonOption: OptionSpec = { type: 'boolean', description: 'Print one JSON object at the end on stdout.' };
