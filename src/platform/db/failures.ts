/**
 * Database errors as activity failures that say what went wrong and nothing else. A driver's error quotes
 * the query and its parameters (drizzle: `Failed query: … params: …`, with a shipping address among them);
 * that text would reach the history, the worker's logs and a published event. Here it becomes a code: the
 * SQLSTATE (or the network error) and its class, retryable, typed `database_error`.
 */
import { ApplicationFailure } from '@temporalio/common';
import { causeChain, isDatabaseUnreachable } from './client.ts';

/** The failure type of a database error in an activity. */
export const DATABASE_ERROR = 'database_error';

/** SQLSTATE classes (the first two characters), named as PostgreSQL's appendix names them. */
const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'connection exception',
  '22': 'data exception',
  '23': 'integrity constraint violation',
  '25': 'invalid transaction state',
  '40': 'transaction rollback',
  '42': 'syntax error or access rule violation',
  '53': 'insufficient resources',
  '54': 'program limit exceeded',
  '55': 'object not in prerequisite state',
  '57': 'operator intervention',
  '58': 'system error',
  P0: 'raised by a database function',
  XX: 'internal error',
};

/** The driver's code of an error, looking through wrappers: a SQLSTATE or a Node network code. */
function codeOf(error: unknown): string | null {
  for (const e of causeChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

/** What a database error says, without the query, its parameters or any value the server quoted. */
export function describeDatabaseError(error: unknown): string {
  const code = codeOf(error);
  const unreachable = isDatabaseUnreachable(error);
  if (code && /^[0-9A-Z]{5}$/.test(code)) return `database error: SQLSTATE ${code} (${SQLSTATE_CLASSES[code.slice(0, 2)] ?? 'unclassified'})${unreachable ? ', database unreachable' : ''}`;
  if (code) return `database error: ${code}${unreachable ? ' (database unreachable)' : ''}`;
  return unreachable ? 'database error: the database cannot be reached' : `database error: ${error instanceof Error ? error.name : 'unknown'}`;
}

/** An activity failure for a database error: retryable, typed `database_error`, its message a code. */
export const databaseFailure = (error: unknown) => ApplicationFailure.retryable(describeDatabaseError(error), DATABASE_ERROR);

type Activities = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * Wraps each activity so that whatever it throws that is not already an activity failure (a business
 * refusal such as `out_of_stock`) leaves as a `database_error` with a coded message.
 */
export function withDatabaseFailures<T extends Activities>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, run]) => [
      name,
      async (...args: never[]) => {
        try {
          return await run(...args);
        } catch (error) {
          if (error instanceof ApplicationFailure) throw error;
          throw databaseFailure(error);
        }
      },
    ]),
  ) as T;
}
