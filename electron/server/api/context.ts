/** What every API handler can read from its context: the Node request and who is calling. */
import type { HttpBindings } from '@hono/node-server';
import type { ApiPrincipal } from './access.js';

export interface ApiEnv {
  Bindings: HttpBindings;
  Variables: {
    requestId: string;
    startedAt: number;
    principal: ApiPrincipal;
  };
}
