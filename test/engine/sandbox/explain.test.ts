/**
 * The lines Photon adds to a sandboxed step's output, from the messages the process printed as
 * they arrive in chunks, through the redactor that precedes every view of the output.
 */
import { describe, expect, it } from 'vitest';
import { explainingFilter } from '../../../electron/engine/sandbox/explain.js';
import type { FencePlan } from '../../../electron/engine/sandbox/index.js';
import { Redactor } from '../../../electron/engine/secrets/index.js';

const plan: FencePlan = {
  network: false,
  cwd: '/work/wt',
  home: '/home/ann',
  privateHome: '/data/attempt/home',
  writable: ['/work/wt'],
  readable: [],
  hidden: ['/home/ann'],
  scratch: ['/tmp'],
  secrets: [],
  unsetEnv: [],
  writableShown: ["the step's folder (/work/wt)"],
};
const context = { plan, place: 'workflow[0].sandbox', aiTool: true };

function through(filter: ReturnType<typeof explainingFilter>, chunks: string[]): string {
  return chunks.map((chunk) => filter.push(chunk)).join('') + filter.flush();
}

describe("the sandbox's lines in a step's output", () => {
  it('finds a refusal split between two chunks, and says it at the end', () => {
    const text = through(explainingFilter(undefined, context), ['touch: cannot touch /etc/x: Read-only fi', 'le system\r\n', 'done\r\n']);
    expect(text.startsWith('touch: cannot touch /etc/x: Read-only file system\r\ndone\r\n')).toBe(true);
    expect(text.trimEnd().endsWith('add it to "write" in workflow[0].sandbox.')).toBe(true);
  });

  it('says each kind of refusal once, however often the step met it', () => {
    const text = through(explainingFilter(undefined, context), ['/etc/a: Read-only file system\r\n', '/etc/b: Read-only file system\r\n']);
    expect(text.match(/photon: the sandbox refused a write/g)).toHaveLength(1);
  });

  it("tells an AI tool's step that the network is off and how to turn it on", () => {
    const text = through(explainingFilter(undefined, context), ['API Error: getaddrinfo EAI_AGAIN api.anthropic.com\r\n']);
    expect(text).toContain('photon: the sandbox has no network ("EAI_AGAIN"): an AI tool cannot reach its API');
    expect(text).toContain('set "network": true in workflow[0].sandbox');
  });

  it("recognises the words Gemini CLI 0.61 said in a sandbox without network (Node fetch's, which hide the cause)", () => {
    const text = through(explainingFilter(undefined, context), ['[API Error: exception TypeError: fetch failed sending request]\r\n']);
    expect(text).toContain('photon: the sandbox has no network ("fetch failed")');
  });

  it('blames no sandbox for an unreachable host when the network is allowed', () => {
    const text = through(explainingFilter(undefined, { ...context, plan: { ...plan, network: true } }), ['connect: Network is unreachable\r\n', 'Connection refused\r\n']);
    expect(text).not.toContain('photon:');
  });

  it('reads the redacted text: a secret never reaches the output, the explanation still does', () => {
    const redactor = new Redactor(new Map([['API_KEY', 'sk-very-secret-value']]));
    const text = through(explainingFilter(redactor.stream(), context), ['key sk-very-sec', 'ret-value; /etc/y: Read-only file system\r\n']);
    expect(text).not.toContain('sk-very-secret-value');
    expect(text).toContain('[secret API_KEY]');
    expect(text).toContain('photon: the sandbox refused a write');
  });

  it('running unsandboxed, leads with the notice and blames nothing on a sandbox', () => {
    const text = through(explainingFilter(undefined, context, 'photon: running without a sandbox'), ['/etc/z: Read-only file system\r\n']);
    expect(text.startsWith('photon: running without a sandbox\r\n/etc/z')).toBe(true);
    expect(text).not.toContain('photon: the sandbox');
  });
});
