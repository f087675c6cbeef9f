/** Reading a simulator request body: JSON parsed and checked against a zod schema, or a reason to answer 400. */
import type { Context } from 'hono';
import type { z } from 'zod';

/** The error body every simulator answers with, the shape the clients parse. */
export const errorBody = (code: string, message: string) => ({ error: { code, message } });

export type ParsedBody<T> = { ok: true; raw: unknown; data: T } | { ok: false; message: string };

export async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<ParsedBody<T>> {
  const text = await c.req.text();
  let raw: unknown;
  try {
    // An empty body is an empty object, the way form-less POSTs (e.g. a void) are sent by some clients.
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return { ok: false, message: 'request body is not valid JSON' };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    return { ok: false, message };
  }
  return { ok: true, raw, data: parsed.data };
}

