import { useId } from 'react';
import { noWebhookServer, webhookUrl } from './schedule-words.js';

export interface ShownSecret {
  name: string;
  path: string;
  secret: string;
}

/** A new webhook's secret, shown this once: the engine keeps only its hash. */
export function WebhookSecret({ shown, webhookBase, onDone }: { shown: ShownSecret; webhookBase: string | null; onDone(): void }) {
  const titleId = useId();
  const url = webhookUrl(shown.path, window.location, webhookBase);
  return (
    <div role="group" aria-labelledby={titleId} className="webhook-secret">
      <h3 id={titleId}>New webhook {shown.name}</h3>
      <p>Copy the secret now: it is shown this once. Call the URL with it in the X-Photon-Secret header.</p>
      <label className="review-field">
        URL
        <input readOnly value={url ?? shown.path} onFocus={(event) => event.target.select()} />
        {url === null && <span className="meta">The path on the server: {noWebhookServer}.</span>}
      </label>
      <label className="review-field">
        The webhook's secret
        <input readOnly value={shown.secret} onFocus={(event) => event.target.select()} />
      </label>
      {url !== null && <pre className="webhook-example">{`curl -X POST -H 'X-Photon-Secret: ${shown.secret}' ${url}`}</pre>}
      <button type="button" className="button" onClick={onDone}>
        Done, hide it
      </button>
    </div>
  );
}
