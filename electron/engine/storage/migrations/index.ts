import { migration001 } from './001-runs.js';
import { migration002 } from './002-workflows.js';
import { migration003 } from './003-agents.js';
import { migration004 } from './004-pins-and-peaks.js';
import { migration005 } from './005-metrics.js';
import { migration006 } from './006-cached-tokens.js';
import { migration007 } from './007-workspaces.js';
import { migration008 } from './008-setup-trust.js';
import { migration009 } from './009-approvals.js';
import { migration010 } from './010-attempt-sessions.js';
import { migration011 } from './011-api-keys-and-audit.js';
import { migration012 } from './012-hosts.js';
import { migration013 } from './013-step-items.js';
import { migration014 } from './014-run-parents.js';
import { migration015 } from './015-schedules.js';
import { migration016 } from './016-budgets.js';
import { migration017 } from './017-lean-step-indexes.js';
import { migration018 } from './018-workspace-outcomes.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration in order. Append only: a shipped migration never changes. */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016, migration017, migration018];
