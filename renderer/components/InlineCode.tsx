import { Fragment } from 'react';

/**
 * Text from the engine where commands are quoted in backticks (`sudo apt install x`), as the CLI
 * prints them: here the quoted parts become code, and no backtick is shown.
 */
export function InlineCode({ text }: { text: string }) {
  const parts = text.split('`');
  // An odd count of backticks leaves the last one unpaired: then the text is shown as it is.
  if (parts.length % 2 === 0) return <>{text}</>;
  return (
    <>
      {parts.map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : <Fragment key={index}>{part}</Fragment>))}
    </>
  );
}
