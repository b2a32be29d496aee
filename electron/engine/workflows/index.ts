/** Workflows: validation with the shared graph code, and the saved-workflow library. */
export { WorkflowService } from './workflow-service.js';
