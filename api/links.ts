/** Absolute URLs of API resources: from the configured public URL, else from the request's own origin. */
import type { Context } from 'hono';

export function resourceUrl(c: Context, publicUrl: string | null, path: string): string {
  const base = publicUrl ?? new URL(c.req.url).origin;
  return `${base.replace(/\/+$/, '')}${path}`;
}
