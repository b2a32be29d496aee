import { Component, Suspense, type ErrorInfo, type ReactNode } from 'react';

interface LazyPartProps {
  /** What it shows, for the words of a failure: "the diff viewer". */
  what: string;
  /** Shown while its code loads. */
  loading: ReactNode;
  children: ReactNode;
}

/**
 * A part of the page whose code loads the first time it is shown (React.lazy). That file can fail
 * to load: Photon was rebuilt or updated since the page opened (the old file's hashed name is gone)
 * or the link dropped. With no boundary React unmounts the whole app on that error, and the window
 * went blank; here the part says so in its place, with a Reload, and the rest of the page stays.
 */
export function LazyPart({ what, loading, children }: LazyPartProps) {
  return (
    <LoadBoundary what={what}>
      <Suspense fallback={loading}>{children}</Suspense>
    </LoadBoundary>
  );
}

class LoadBoundary extends Component<{ what: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`Could not show ${this.props.what}`, error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <p className="load-failed" role="alert">
        Could not show {this.props.what} ({error.message}). If Photon was updated since this page opened, reloading it loads the new version.{' '}
        <button type="button" className="button small" onClick={() => window.location.reload()}>
          Reload the page
        </button>
      </p>
    );
  }
}
