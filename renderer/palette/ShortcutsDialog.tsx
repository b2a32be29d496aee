import { Fragment, useEffect, useId, useRef } from 'react';
import { usePhoton, useServices } from '../lib/app-context.js';
import { keyLabel, shortcutSections } from './shortcuts.js';

/** The keyboard shortcuts, opened with `?` or from the palette. */
export function ShortcutsDialog() {
  const { store } = useServices();
  const open = usePhoton((s) => s.overlay === 'shortcuts');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);

  const close = () => store.getState().setOverlay(null);

  return (
    <dialog
      ref={ref}
      className="dialog shortcuts-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) close();
      }}
    >
      <header className="shortcuts-head">
        <h2 id={titleId}>Keyboard shortcuts</h2>
        {/* First, so focus starts at the top of the list rather than scrolling it to its end. */}
        <button type="button" className="button small" onClick={close} autoFocus>
          Close
        </button>
      </header>
      {open &&
        shortcutSections.map((section) => (
          <section key={section.where} aria-label={section.where}>
            <h3>{section.where}</h3>
            <dl className="shortcut-list">
              {section.shortcuts.map((shortcut) => (
                <Fragment key={shortcut.what}>
                  <dt>
                    {shortcut.keys.map((keys, i) => (
                      <Fragment key={keys}>
                        {i > 0 && <span className="meta"> or </span>}
                        <kbd>{keyLabel(keys)}</kbd>
                      </Fragment>
                    ))}
                  </dt>
                  <dd>{shortcut.what}</dd>
                </Fragment>
              ))}
            </dl>
          </section>
        ))}
    </dialog>
  );
}
