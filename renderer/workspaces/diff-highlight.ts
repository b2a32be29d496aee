import { markEdits, tokenize, type HunkData, type HunkTokens } from 'react-diff-view';
import { refractor } from 'refractor';
import jsx from 'refractor/jsx';
import tsx from 'refractor/tsx';
import { languageOf } from './diff-files.js';

// refractor's common set (about 36 languages) lacks JSX and TSX, which agents edit all day.
refractor.register(jsx);
refractor.register(tsx);

/** react-diff-view calls refractor 2's API, which returned the nodes; refractor 3 on returns a root holding them. */
const highlighter = { highlight: (text: string, language: string) => refractor.highlight(text, language).children };

/**
 * A file's hunks as highlighted tokens, with the changed words within a changed line marked; the
 * changed words alone for a file in no language refractor knows. Null when tokenizing fails, so
 * the diff still shows, plain.
 */
export function highlightHunks(hunks: HunkData[], path: string): HunkTokens | null {
  const language = languageOf(path);
  const known = language !== null && refractor.registered(language);
  try {
    return tokenize(hunks, {
      highlight: known,
      ...(known ? { refractor: highlighter, language: language! } : {}),
      enhancers: [markEdits(hunks, { type: 'block' })],
    });
  } catch {
    return null;
  }
}
