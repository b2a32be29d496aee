import { useId, type ReactNode } from 'react';

interface SettingsSectionProps {
  /** The section's own class, for its styles and tests' look-ups (e.g. "hosts-section"). */
  className: string;
  title: string;
  /** What the section is for, under its title. */
  note: ReactNode;
  /** The buttons at the right of the title. */
  actions: ReactNode;
  /** Why the section's last action failed, shown as an alert above its rows; null when none did. */
  problem?: string | null;
  children: ReactNode;
}

/** A section of the Settings page as each is laid out: title, note and actions, then the last failure, then its content. */
export function SettingsSection({ className, title, note, actions, problem, children }: SettingsSectionProps) {
  const headingId = useId();
  return (
    <section className={className} aria-labelledby={headingId}>
      <header className="section-bar">
        <div>
          <h2 id={headingId}>{title}</h2>
          <p className="meta section-note">{note}</p>
        </div>
        {actions}
      </header>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {children}
    </section>
  );
}

interface RowsTableProps {
  /** The table's accessible name, e.g. "API keys". */
  label: string;
  /** Column titles, in order; the row's own name (its `<th scope="row">`) is one of them. */
  columns: readonly string[];
  /** Whether the rows end with buttons: their column has a title for screen readers only. */
  withActions?: boolean;
  /** Extra class beside `access-table`, e.g. "hosts-table". */
  className?: string;
  /** The rows (`<tr>`s). */
  children: ReactNode;
}

/** The table the Settings sections list their rows in. */
export function RowsTable({ label, columns, withActions = false, className, children }: RowsTableProps) {
  return (
    <table className={className ? `access-table ${className}` : 'access-table'} aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          {withActions && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
