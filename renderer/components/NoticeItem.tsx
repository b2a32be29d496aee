import { useServices } from '../lib/app-context.js';
import { errorWords } from '../lib/error-words.js';
import type { Notice } from '../store/ui-slice.js';

export function NoticeItem({ notice }: { notice: Notice }) {
  const { store } = useServices();
  return (
    <div className="notice" role="alert" data-code={notice.code}>
      <div className="notice-body">
        <strong>{notice.title}</strong>
        <p className="notice-message">
          {errorWords(notice.code)}: {notice.message}
        </p>
      </div>
      <button type="button" className="icon-button" aria-label={`Dismiss: ${notice.title}`} onClick={() => store.getState().dismissNotice(notice.id)}>
        <span aria-hidden="true">✕</span>
      </button>
    </div>
  );
}
