/**
 * What every list route shares: the page parameters (`limit`, `starting_after`, `ending_before`), the
 * creation-time range (`created[gt|gte|lt|lte]`), the `{ data, has_more }` answer, and the refusal of a
 * parameter the route does not know (a misspelt filter would otherwise list everything).
 */
import { z } from '@hono/zod-openapi';
import { UnknownCursor, type CreatedRange, type Page, type PageRequest } from '../src/platform/db/keyset-page.ts';
import { ApiError } from './errors.ts';

const instant = (name: string) =>
  z
    .string()
    .refine((value) => !Number.isNaN(Date.parse(value)), `${name} must be an ISO 8601 date-time, such as 2026-12-01T00:00:00Z`)
    .optional()
    .openapi({ param: { name, in: 'query' }, example: '2026-12-01T00:00:00Z' });

/** The query parameters of every list; spread into a route's query schema beside its own filters. */
export const listQuery = {
  limit: z.coerce
    .number({ error: 'limit must be a whole number from 1 to 100' })
    .int('limit must be a whole number from 1 to 100')
    .min(1, 'limit must be at least 1')
    .max(100, 'limit must be at most 100')
    .default(10)
    .openapi({ param: { name: 'limit', in: 'query' }, description: 'How many objects a page holds, 1 to 100.', example: 10 }),
  starting_after: z
    .string()
    .min(1)
    .optional()
    .openapi({ param: { name: 'starting_after', in: 'query' }, description: 'An object id from the last page: the page holds the objects created before it (the next page).' }),
  ending_before: z
    .string()
    .min(1)
    .optional()
    .openapi({ param: { name: 'ending_before', in: 'query' }, description: 'An object id from the first page: the page holds the objects created after it (the previous page).' }),
  'created[gt]': instant('created[gt]'),
  'created[gte]': instant('created[gte]'),
  'created[lt]': instant('created[lt]'),
  'created[lte]': instant('created[lte]'),
};

type ListQuery = z.infer<z.ZodObject<typeof listQuery>>;

/** A page of `item`, newest first. */
export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      data: z.array(item),
      has_more: z.boolean().openapi({ description: 'Whether more objects follow in the direction paged.' }),
    })
    .openapi(name);

/** The page a list query asks for; both cursors at once is refused. */
export function pageRequest(query: ListQuery): PageRequest {
  if (query.starting_after !== undefined && query.ending_before !== undefined) {
    throw new ApiError('invalid_request', 'Pass starting_after or ending_before, not both.');
  }
  if (query.starting_after !== undefined) return { limit: query.limit, cursor: { id: query.starting_after, direction: 'after' } };
  if (query.ending_before !== undefined) return { limit: query.limit, cursor: { id: query.ending_before, direction: 'before' } };
  return { limit: query.limit };
}

/** The creation-time range a list query asks for. */
export function createdRange(query: ListQuery): CreatedRange {
  const at = (value: string | undefined) => (value === undefined ? undefined : new Date(value));
  return { gt: at(query['created[gt]']), gte: at(query['created[gte]']), lt: at(query['created[lt]']), lte: at(query['created[lte]']) };
}

/**
 * Reads a page and answers it as `{ data, has_more }`, each row as `show` makes it for the caller; a cursor
 * naming nothing the caller may see is a 400 naming its parameter and the `noun` it should be.
 */
export async function readPage<T, U>(page: PageRequest, noun: string, read: (page: PageRequest) => Promise<Page<T>>, show: (row: T) => U): Promise<{ data: U[]; has_more: boolean }> {
  try {
    const { data, hasMore } = await read(page);
    return { data: data.map(show), has_more: hasMore };
  } catch (error) {
    if (!(error instanceof UnknownCursor)) throw error;
    const parameter = page.cursor?.direction === 'before' ? 'ending_before' : 'starting_after';
    throw new ApiError('invalid_request', `${parameter}: no ${noun} ${error.id} to page from.`, { errors: [{ path: parameter, message: `no ${noun} ${error.id}` }] });
  }
}

/**
 * Refuses query parameters that are neither `known` nor matched by `pattern`, naming them. The schema
 * validation does not, as a route may take parameters by pattern (`metadata[key]`).
 */
export function refuseUnknownParameters(given: Record<string, string>, known: readonly string[], pattern?: RegExp): void {
  const unknown = Object.keys(given).filter((name) => !known.includes(name) && !pattern?.test(name));
  if (unknown.length > 0) {
    throw new ApiError('invalid_request', `Unknown query ${unknown.length === 1 ? 'parameter' : 'parameters'}: ${unknown.join(', ')}.`, {
      errors: unknown.map((name) => ({ path: name, message: 'not a parameter of this list' })),
    });
  }
}
