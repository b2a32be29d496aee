import { memo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

/**
 * An agent's or the user's message as Markdown. react-markdown builds React elements from the
 * syntax tree and never sets HTML: raw HTML an agent writes is shown as its text, not run, and
 * link URLs pass its safe-protocol filter (no `javascript:`). Images are shown as links, so a
 * message cannot make the app fetch a remote address by itself.
 */
const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  img: ({ src, alt }) =>
    typeof src === 'string' && src ? (
      <a href={src} target="_blank" rel="noreferrer noopener">
        {alt ? `image: ${alt}` : 'image'}
      </a>
    ) : (
      <span>{alt}</span>
    ),
};

const plugins = [remarkGfm];

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={plugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
