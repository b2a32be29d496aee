import type { Migration } from './migration.js';

/**
 * Prompt-cache tokens of each attempt, read and written, as their own figures (they are part of
 * `input_tokens`, and Anthropic bills them apart). Older attempts did not keep them: NULL.
 */
export const migration006: Migration = {
  version: 6,
  name: 'cached-tokens',
  up: `
    ALTER TABLE attempts ADD COLUMN cache_read_tokens INTEGER;
    ALTER TABLE attempts ADD COLUMN cache_write_tokens INTEGER;
  `,
};
