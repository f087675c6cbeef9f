/** Operators' browser sessions on the database (schema/sessions.ts), shared by every process of a deployment. */
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Database } from '../platform/db/client.ts';
import { operatorSessions } from '../platform/db/schema/index.ts';

export type SessionSurface = 'dashboard' | 'codec';

export interface OperatorSessionStore {
  create(session: { idHash: string; surface: SessionSurface; keyHash: string; expiresAt: Date }, now: Date): Promise<void>;
  /** The session's operator key digest, if the session exists on this surface, has not expired and was not revoked. */
  find(idHash: string, surface: SessionSurface, now: Date): Promise<{ keyHash: string } | null>;
  revoke(idHash: string, now: Date): Promise<void>;
}

/** How long an expired or revoked session's row is kept (for an operator asking who was signed in when). */
const KEPT_AFTER_END_MS = 24 * 3600_000;

export const databaseSessionStore = (db: Database): OperatorSessionStore => ({
  async create(session, now) {
    // Each sign-in sweeps the rows of sessions long over, so the table holds about a day of sign-ins.
    await db.delete(operatorSessions).where(lt(operatorSessions.expiresAt, new Date(now.getTime() - KEPT_AFTER_END_MS)));
    await db.insert(operatorSessions).values(session);
  },
  async find(idHash, surface, now) {
    const [row] = await db
      .select({ keyHash: operatorSessions.keyHash })
      .from(operatorSessions)
      .where(and(eq(operatorSessions.idHash, idHash), eq(operatorSessions.surface, surface), gt(operatorSessions.expiresAt, now), isNull(operatorSessions.revokedAt)));
    return row ?? null;
  },
  async revoke(idHash, now) {
    await db.update(operatorSessions).set({ revokedAt: now }).where(and(eq(operatorSessions.idHash, idHash), isNull(operatorSessions.revokedAt)));
  },
});
