import { Fragment } from 'react';

/**
 * A file path that, where it must wrap, wraps after a slash, never inside a folder's name (not
 * even at its hyphens): each name is kept whole, with a break opportunity after each slash.
 */
export function PathText({ path }: { path: string }) {
  const parts = path.split('/');
  return (
    <code className="path-text">
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          <span style={{ whiteSpace: 'nowrap' }}>{index < parts.length - 1 ? `${part}/` : part}</span>
        </Fragment>
      ))}
    </code>
  );
}
