import { UsageError } from './usage-error.js';

/** Ctrl-C at the hidden prompt: nothing stored, the shell's exit code for an interrupt. */
export class SecretEntryCancelled extends Error {}

/**
 * A secret's value, never from argv (it would stay in the shell's history and in `ps`): piped on
 * stdin (one trailing newline dropped), or typed at a prompt that does not echo it.
 */
export async function readSecretValue(name: string, input: NodeJS.ReadStream = process.stdin, prompt: NodeJS.WriteStream = process.stderr): Promise<string> {
  const value = input.isTTY ? await readHidden(`Value for ${name} (typing is hidden): `, input, prompt) : (await readAll(input)).replace(/\r?\n$/, '');
  if (value.trim() === '') throw new UsageError(`no value for ${name}: pipe it in (\`photon secrets set ${name} < file\`) or type it at the prompt`);
  return value;
}

async function readAll(input: NodeJS.ReadStream): Promise<string> {
  let text = '';
  input.setEncoding('utf8');
  for await (const chunk of input) text += chunk as string;
  return text;
}

function readHidden(question: string, input: NodeJS.ReadStream, prompt: NodeJS.WriteStream): Promise<string> {
  // Echo goes off before the prompt shows: a value typed the moment the prompt appears must not echo.
  input.setRawMode(true);
  input.setEncoding('utf8');
  prompt.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (finish: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      prompt.write('\n');
      finish();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done(() => resolve(value));
        if (char === '\u0003') return done(() => reject(new SecretEntryCancelled()));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
