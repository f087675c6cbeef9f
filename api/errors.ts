/** Problem details (RFC 9457): one error type with a code → status map, and its `application/problem+json` form. */
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import type { ZodError } from 'zod';

/** Every error the API answers with, its HTTP status and its title. */
export const PROBLEMS = {
  malformed_json: { status: 400, title: 'Malformed JSON' },
  invalid_request: { status: 400, title: 'Invalid request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unknown_sku: { status: 422, title: 'Unknown SKU' },
  unsupported_currency: { status: 422, title: 'Unsupported currency' },
  zero_amount: { status: 422, title: 'Nothing to pay' },
  idempotency_key_reused: { status: 422, title: 'Idempotency key reused' },
  not_refundable: { status: 409, title: 'Nothing to refund' },
  amount_exceeds_refundable: { status: 422, title: 'More than is left to refund' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;
export type ProblemStatus = (typeof PROBLEMS)[ProblemCode]['status'];

/** One offending input: a dotted path such as `items.0.quantity`, and what is wrong with it. */
export interface FieldError {
  path: string;
  message: string;
}

/** The documentation URI of a problem type. */
export const problemType = (code: ProblemCode) => `/problems/${code}`;

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() }).openapi('FieldError');

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: problemType('invalid_request') }),
    title: z.string().openapi({ example: PROBLEMS.invalid_request.title }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'The request body does not match the schema: 1 problem.' }),
    code: z.enum(Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]]),
    requestId: z.string().optional(),
    errors: z.array(fieldErrorSchema).optional(),
  })
  .openapi('Problem');
export type Problem = z.infer<typeof problemSchema>;

/** The error every layer of the API throws; the app's error handler turns it into problem+json. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: ProblemStatus;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = PROBLEMS[code].status;
  }

  toProblem(requestId?: string): Problem {
    const { title, status } = PROBLEMS[this.code];
    return {
      type: problemType(this.code),
      title,
      status,
      detail: this.detail,
      code: this.code,
      ...(requestId ? { requestId } : {}),
      ...(this.options.errors ? { errors: this.options.errors } : {}),
    };
  }
}

/** Renders an ApiError as an `application/problem+json` response. */
export function problemResponse(c: Context, error: ApiError): Response {
  const requestId = c.get('requestId') as string | undefined;
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', ...error.options.headers };
  return c.body(JSON.stringify(error.toProblem(requestId)), error.status, headers);
}

/** Dotted paths for every issue; an unknown key is reported at its own path. */
export function fieldErrors(error: ZodError, prefix: string[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
}

type ProblemResponse = {
  description: string;
  headers?: Record<string, { description: string; schema: { type: 'string' | 'integer' } }>;
  content: { 'application/problem+json': { schema: typeof problemSchema } };
};

/** Response headers that come with some problem statuses. */
const PROBLEM_HEADERS: Partial<Record<number, ProblemResponse['headers']>> = {
  401: { 'WWW-Authenticate': { description: 'The authentication scheme: `Bearer`', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds until this key may send again', schema: { type: 'integer' } } },
  503: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
};

/** The documented responses of a route for the given problem codes, for `createRoute({ responses })`. */
export function problemResponses<const C extends ProblemCode>(...codes: C[]) {
  const byStatus: Record<number, ProblemResponse> = {};
  for (const code of codes) {
    const { status, title } = PROBLEMS[code];
    const existing = byStatus[status];
    const headers = PROBLEM_HEADERS[status];
    byStatus[status] = {
      description: existing ? `${existing.description}; ${title}` : title,
      ...(headers ? { headers } : {}),
      content: { 'application/problem+json': { schema: problemSchema } },
    };
  }
  return byStatus as { [S in (typeof PROBLEMS)[C]['status']]: ProblemResponse };
}
