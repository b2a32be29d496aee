import { usePhoton } from '../lib/app-context.js';
import { NoticeItem } from './NoticeItem.js';

/** Errors the user must see, newest last, each until dismissed. */
export function Notices() {
  const notices = usePhoton((s) => s.notices);
  return (
    <div className="notices">
      {notices.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} />
      ))}
    </div>
  );
}
