import { useServices } from '../lib/app-context.js';
import type { Notice } from '../store/ui-slice.js';

export function NoticeItem({ notice }: { notice: Notice }) {
  const { store } = useServices();
  return (
    <div className="notice" role="alert">
      <div className="notice-body">
        <strong>{notice.title}</strong>
        <p>
          <code className="notice-code">{notice.code}</code> <span className="notice-message">{notice.message}</span>
        </p>
      </div>
      <button type="button" className="icon-button" aria-label={`Dismiss: ${notice.title}`} onClick={() => store.getState().dismissNotice(notice.id)}>
        <span aria-hidden="true">✕</span>
      </button>
    </div>
  );
}
