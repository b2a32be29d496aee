import type { SavedWorkflow, WorkflowSummary } from '../../../shared/api.js';
import { PhotonError } from '../../../shared/errors.js';
import { formatIssues, validateWorkflow, type ValidationResult } from '../../../shared/validate-workflow.js';
import type { Workflow } from '../../../shared/workflow.js';
import type { WorkflowRow, WorkflowsRepository } from '../storage/index.js';
import type { ToolRegistry } from '../tools/index.js';
import { randomUUID } from 'node:crypto';

/** Saved workflows, always valid: nothing invalid is ever written. */
export class WorkflowService {
  constructor(
    private readonly repo: WorkflowsRepository,
    private readonly tools: ToolRegistry,
  ) {}

  validate(raw: unknown): ValidationResult {
    return validateWorkflow(raw, { runnablePlatforms: this.tools.runnablePlatforms() });
  }

  /** The parsed workflow, or an `invalid` error listing every issue with its place. */
  requireValid(raw: unknown): Workflow {
    const result = this.validate(raw);
    if (!result.ok) throw new PhotonError('invalid', formatIssues(result.issues), { issues: result.issues });
    return result.workflow;
  }

  list(): WorkflowSummary[] {
    return this.repo.list().map(toSummary);
  }

  get(id: string): SavedWorkflow {
    const row = this.repo.get(id);
    if (!row) throw new PhotonError('not_found', `no workflow "${id}"`);
    return { ...toSummary(row), workflow: JSON.parse(row.definition) as Workflow };
  }

  /**
   * A saved workflow by its id, else by its name (as a sub-workflow step names it), checked as a new
   * run would be. Undefined when none has it; a name two saved workflows share is refused, with their ids.
   */
  resolveRef(ref: string): { id: string; name: string; workflow: Workflow } | undefined {
    const byId = this.repo.get(ref);
    const rows = byId ? [byId] : this.repo.list().filter((row) => row.name === ref);
    if (rows.length > 1) {
      throw new PhotonError('invalid', `${rows.length} saved workflows are named "${ref}" (ids ${rows.map((row) => row.id).sort().join(', ')}); name one by its id, or rename the others`);
    }
    const row = rows[0];
    if (!row) return undefined;
    try {
      return { id: row.id, name: row.name, workflow: this.requireValid(JSON.parse(row.definition)) };
    } catch (error) {
      throw new PhotonError('invalid', `saved workflow "${row.name}" cannot run now: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  save(raw: unknown, id?: string): { id: string } {
    const workflow = this.requireValid(raw);
    const now = new Date().toISOString();
    const definition = JSON.stringify(workflow);
    if (id !== undefined) {
      if (!this.repo.update({ id, name: workflow.name, definition, updatedAt: now })) {
        throw new PhotonError('not_found', `no workflow "${id}" to update; save without an id to create one`);
      }
      return { id };
    }
    const newId = randomUUID();
    this.repo.insert({ id: newId, name: workflow.name, definition, createdAt: now, updatedAt: now });
    return { id: newId };
  }

  delete(id: string): boolean {
    return this.repo.delete(id);
  }

  pin(id: string, pinned: boolean): { pinned: boolean } {
    if (!this.repo.setPinned(id, pinned)) throw new PhotonError('not_found', `no saved workflow "${id}"`);
    return { pinned };
  }
}

function toSummary(row: WorkflowRow): WorkflowSummary {
  const workflow = JSON.parse(row.definition) as Workflow;
  return {
    id: row.id,
    name: row.name,
    description: workflow.description ?? null,
    stepCount: workflow.workflow.length,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastRunAt: row.lastRunAt,
    pinned: row.pinned,
  };
}
