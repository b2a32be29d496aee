import { errorWords } from '../lib/error-words.js';
import { ViewTitle } from './ViewTitle.js';

/** A view that could not load, and why in words; the code stays on the element for support. */
export function ViewError({ what, error }: { what: string; error: { code: string; message: string } }) {
  return (
    <article className="view">
      <ViewTitle>{what} not available</ViewTitle>
      <p className="error-text" role="alert" data-code={error.code}>
        {errorWords(error.code)}: {error.message}
      </p>
      <p>
        <a href="#/">Back to the start page</a>
      </p>
    </article>
  );
}
