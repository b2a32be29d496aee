import type { FileChange } from '../../shared/workspace-review.js';

/**
 * Which diff files the viewer renders at once and which wait: a run can change thousands of lines,
 * and drawing every row of every file (twice in the split view, highlighted) would freeze the page.
 * The first files up to a budget of changed lines are drawn at once; the others when they scroll
 * near; a file larger than one screenful of budget waits for a click, whatever its place.
 */

/** Changed lines drawn before the page first shows. */
export const eagerLineBudget = 1500;
/** A file with more changed lines than this is drawn only when the user asks. */
export const foldedFileLines = 3000;

export type FileRendering = 'now' | 'when-visible' | 'on-request';

export function renderingPlan(files: readonly Pick<FileChange, 'linesAdded' | 'linesRemoved'>[]): FileRendering[] {
  let spent = 0;
  return files.map((file) => {
    const lines = file.linesAdded + file.linesRemoved;
    if (lines > foldedFileLines) return 'on-request';
    if (spent + lines <= eagerLineBudget) {
      spent += lines;
      return 'now';
    }
    // Once over the budget, every later file waits too, so the order on screen stays the order drawn.
    spent = Number.POSITIVE_INFINITY;
    return 'when-visible';
  });
}

/** The syntax a file is highlighted as (a refractor language), from its name; null for plain text. */
export function languageOf(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name === 'makefile' || name === 'gnumakefile') return 'makefile';
  if (name === 'dockerfile') return null;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  return extensions[name.slice(dot + 1)] ?? null;
}

const extensions: Record<string, string> = {
  ts: 'typescript',
  tsx: 'tsx',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'jsx',
  mjs: 'javascript',
  cjs: 'javascript',
  json: 'json',
  css: 'css',
  scss: 'scss',
  less: 'less',
  html: 'markup',
  htm: 'markup',
  xml: 'markup',
  svg: 'markup',
  md: 'markdown',
  markdown: 'markdown',
  py: 'python',
  rb: 'ruby',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  swift: 'swift',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  php: 'php',
  sh: 'bash',
  bash: 'bash',
  zsh: 'bash',
  yml: 'yaml',
  yaml: 'yaml',
  toml: 'ini',
  ini: 'ini',
  sql: 'sql',
  lua: 'lua',
  pl: 'perl',
  r: 'r',
};

/** The path a diff file is known by: its new path, or its old one when it was deleted. */
export function diffFilePath(file: { oldPath: string; newPath: string; type: string }): string {
  return file.type === 'delete' ? file.oldPath : file.newPath;
}
