// react-diff-view 3.3.3 names ./types/index.d.ts in its package.json but publishes no such folder
// (its TypeScript sources are in ./src); these are the parts Photon uses, as that source declares them.
declare module 'react-diff-view' {
  import type { ReactElement, ReactNode } from 'react';
  import type { Change, File, Hunk } from 'gitdiff-parser';

  export type ViewType = 'unified' | 'split';
  export type DiffType = 'add' | 'delete' | 'modify' | 'rename' | 'copy';
  export type FileData = File;
  export type HunkData = Hunk;
  export type ChangeData = Change;

  export interface TokenNode {
    type: string;
    children?: TokenNode[];
    [key: string]: unknown;
  }
  export interface HunkTokens {
    old: TokenNode[][];
    new: TokenNode[][];
  }
  export type TokenizeEnhancer = (pair: [unknown[][], unknown[][]]) => [unknown[][], unknown[][]];
  export interface TokenizeOptions {
    highlight?: boolean;
    /** Anything with refractor 2's `highlight(text, language)`: an array of HAST nodes. */
    refractor?: { highlight(text: string, language: string): unknown[] };
    language?: string;
    oldSource?: string;
    enhancers?: TokenizeEnhancer[];
  }

  export interface DiffProps {
    diffType: DiffType;
    hunks: HunkData[];
    viewType?: ViewType;
    gutterType?: 'default' | 'none' | 'anchor';
    className?: string;
    tokens?: HunkTokens | null;
    widgets?: Record<string, ReactNode>;
    optimizeSelection?: boolean;
    children?: (hunks: HunkData[]) => ReactElement | ReactElement[];
  }

  export function Diff(props: DiffProps): ReactElement;
  export function Hunk(props: { hunk: HunkData }): ReactElement;
  export function Decoration(props: { children: ReactNode; className?: string }): ReactElement;
  export function parseDiff(text: string, options?: { nearbySequences?: 'zip' }): FileData[];
  export function tokenize(hunks: HunkData[], options?: TokenizeOptions): HunkTokens;
  export function markEdits(hunks: HunkData[], options?: { type?: 'block' | 'line' }): TokenizeEnhancer;
}
