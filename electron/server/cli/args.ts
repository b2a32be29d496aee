import { parseArgs } from 'node:util';
import { closest, UsageError } from './usage-error.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** How help shows the value (`N`, `DIR`). */
  value?: string;
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  help: boolean;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

const helpOption: OptionSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };

/**
 * Parses one command's arguments with node:util parseArgs, then checks them itself so every
 * mistake (unknown flag, missing value, extra argument) gets a message naming it and the fix.
 */
export function parseCommandArgs(command: string, argv: readonly string[], options: OptionSpecs, positionalNames: readonly string[]): ParsedArgs {
  const all: OptionSpecs = { ...options, help: helpOption };
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(Object.entries(all).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const seeHelp = `see \`photon ${command} --help\``;
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help')) return { help: true, values: {}, positionals: [] };

  const values: ParsedArgs['values'] = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = all[token.name];
    if (!spec) {
      const guess = closest(token.name, Object.keys(options));
      throw new UsageError(`unknown option ${token.rawName} for \`photon ${command}\`${guess ? `; did you mean --${guess}?` : ''} (${seeHelp})`);
    }
    if (spec.type === 'string' && token.value === undefined) {
      throw new UsageError(`${token.rawName} needs a value: ${token.rawName} ${spec.value ?? 'VALUE'}`);
    }
    if (spec.type === 'boolean' && token.inlineValue) throw new UsageError(`${token.rawName} takes no value; write just ${token.rawName}`);
    values[token.name] = token.value ?? true;
  }

  // A name in brackets (`[NAME]`) is optional; the required ones come first.
  const required = positionalNames.filter((name) => !name.startsWith('['));
  if (positionals.length < required.length) {
    throw new UsageError(`missing ${required.slice(positionals.length).join(' ')}: photon ${command} ${positionalNames.join(' ')} (${seeHelp})`);
  }
  // A last name ending in `...` (`ID...`) takes every remaining argument.
  const variadic = positionalNames.at(-1)?.endsWith('...') ?? false;
  if (!variadic && positionals.length > positionalNames.length) {
    const extra = positionals[positionalNames.length]!;
    throw new UsageError(`unexpected argument "${extra}": photon ${command} takes ${positionalNames.length === 0 ? 'no arguments' : positionalNames.join(' ')} (${seeHelp})`);
  }
  return { help: false, values, positionals };
}

/** A whole number option within bounds, or its default when absent. */
export function integerOption(values: ParsedArgs['values'], name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw);
  const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`--${name} needs a whole number from ${min} to ${max}, not "${text}"`);
  }
  return number;
}

export function stringOption(values: ParsedArgs['values'], name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

export function booleanOption(values: ParsedArgs['values'], name: string): boolean {
  return values[name] === true;
}
