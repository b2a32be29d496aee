import type { ReactNode } from 'react';
import type { Loaded } from './use-access-data.js';

interface LoadedRowsProps<T> {
  loaded: Loaded<T>;
  /** Shown while the rows are read, e.g. "Reading the keys…". */
  reading: string;
  /** Leads the reason when they could not be read, e.g. "Could not list the keys". */
  failed: string;
  /** Shown when there are none. */
  empty: string;
  children: (rows: T[]) => ReactNode;
}

/** A list read from the engine, as the settings sections show it: reading, why it failed, empty, or its rows. */
export function LoadedRows<T>({ loaded, reading, failed, empty, children }: LoadedRowsProps<T>) {
  if (loaded.state === 'loading') return <p className="loading">{reading}</p>;
  if (loaded.state === 'failed') {
    return (
      <p className="field-error" role="alert">
        {failed}: {loaded.message}
      </p>
    );
  }
  return loaded.rows.length === 0 ? <p className="empty-state">{empty}</p> : <>{children(loaded.rows)}</>;
}
