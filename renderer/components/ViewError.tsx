import { ViewTitle } from './ViewTitle.js';

/** A view that could not load, with the engine's code and message. */
export function ViewError({ what, error }: { what: string; error: { code: string; message: string } }) {
  return (
    <article className="view">
      <ViewTitle>{what} not available</ViewTitle>
      <p className="error-text" role="alert">
        <code>{error.code}</code> {error.message}
      </p>
      <p>
        <a href="#/">Back to the start page</a>
      </p>
    </article>
  );
}
