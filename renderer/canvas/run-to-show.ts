/**
 * A run the workflow's canvas should show when it opens next: "Edit and retry" on a failed step of
 * a run's page leads to the editor with that run's states (and its Retry) on the nodes. Kept for
 * this tab only, and taken once.
 */
const key = (workflowId: string) => `photon.showRun.${workflowId}`;

export function rememberRunToShow(workflowId: string, runId: string): void {
  sessionStorage.setItem(key(workflowId), runId);
}

export function takeRunToShow(workflowId: string): string | null {
  const runId = sessionStorage.getItem(key(workflowId));
  sessionStorage.removeItem(key(workflowId));
  return runId;
}
