import type { TokenCounts } from '../../shared/runs.js';
import { formatCount } from './format-metrics.js';

/**
 * Tokens as a person reads them: "2.3k in (800 from cache, 100 to cache), 350 out". The cached
 * ones are part of the input; said apart because a prompt cache bills them differently.
 */
export function tokensText(tokens: TokenCounts): string {
  const cached = [
    tokens.cacheRead ? `${formatCount(tokens.cacheRead)} from cache` : null,
    tokens.cacheWrite ? `${formatCount(tokens.cacheWrite)} to cache` : null,
  ].filter((part): part is string => part !== null);
  return `${formatCount(tokens.input)} in${cached.length > 0 ? ` (${cached.join(', ')})` : ''}, ${formatCount(tokens.output)} out`;
}
