/**
 * Cursor pagination over a table's (created, id) key, newest first: a page after a cursor holds older rows,
 * one before it newer rows. The cursor is an object id, so a page stays stable while new rows arrive, and the
 * (owner, created desc, id desc) index answers every page without an offset.
 */
import { and, asc, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';

export interface PageRequest {
  limit: number;
  /** The id the page starts after (older rows) or ends before (newer rows). */
  cursor?: { id: string; direction: 'after' | 'before' };
}

export interface Page<Row> {
  data: Row[];
  hasMore: boolean;
}

/** A cursor that names no row the caller may see. */
export class UnknownCursor extends Error {
  constructor(readonly id: string) {
    super(`no object ${id} to page from`);
  }
}

export interface KeysetTable {
  table: PgTable;
  id: PgColumn;
  createdAt: PgColumn;
}

/**
 * One page of `keys.table`: rows the `owner` condition admits (the cursor must be one of them) and the
 * `filters` narrow. `read` runs the query the page needs; it receives the condition, the order and the limit.
 */
export async function keysetPage<Row>(
  db: Database,
  keys: KeysetTable,
  { owner, filters, page }: { owner?: SQL; filters: (SQL | undefined)[]; page: PageRequest },
  read: (where: SQL | undefined, orderBy: SQL[], limit: number) => Promise<Row[]>,
): Promise<Page<Row>> {
  const { cursor, limit } = page;
  let after: SQL | undefined;
  if (cursor) {
    const [found] = await db.select({ id: keys.id }).from(keys.table).where(and(owner, eq(keys.id, cursor.id))).limit(1);
    if (!found) throw new UnknownCursor(cursor.id);
    // Compared in the database, so the key keeps its full precision (a JavaScript Date holds milliseconds).
    const anchor = sql`(select ${keys.createdAt}, ${keys.id} from ${keys.table} where ${keys.id} = ${cursor.id})`;
    after = cursor.direction === 'after' ? sql`(${keys.createdAt}, ${keys.id}) < ${anchor}` : sql`(${keys.createdAt}, ${keys.id}) > ${anchor}`;
  }
  const backwards = cursor?.direction === 'before';
  const orderBy = backwards ? [asc(keys.createdAt), asc(keys.id)] : [desc(keys.createdAt), desc(keys.id)];
  const rows = await read(and(owner, ...filters, after), orderBy, limit + 1);
  const hasMore = rows.length > limit;
  const data = rows.slice(0, limit);
  return { data: backwards ? data.reverse() : data, hasMore };
}

/** A range on the creation time, each bound optional. */
export interface CreatedRange {
  gt?: Date;
  gte?: Date;
  lt?: Date;
  lte?: Date;
}

/** Conditions on a creation-time column, one per bound given. */
export const createdWithin = (column: PgColumn, range: CreatedRange = {}) => [
  range.gt && gt(column, range.gt),
  range.gte && gte(column, range.gte),
  range.lt && lt(column, range.lt),
  range.lte && lte(column, range.lte),
];

/** `column = value` when a value is given; no condition otherwise. */
export const equals = (column: PgColumn, value: string | undefined) => (value === undefined ? undefined : eq(column, value));
