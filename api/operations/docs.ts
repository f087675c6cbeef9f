/**
 * `GET /openapi.json` (OpenAPI 3.1, generated from the schemas that validate requests), `GET /docs` (Swagger UI
 * served from the swagger-ui-dist package, so it works offline) and `GET /problems/{code}` (problem types).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiError, PROBLEMS, problemType, type ProblemCode } from '../errors.ts';
import { MAX_BODY_BYTES } from '../middleware/json-body.ts';
import type { AppEnv } from '../context.ts';

/** A Map, so a name such as `constructor` or `__proto__` finds nothing instead of an object's prototype. */
const ASSETS = new Map<string, string>([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
]);

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Durable Checkout API</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise fetch a badge from validator.swagger.io.
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false, validatorUrl: null });\n`;

const DESCRIPTION = `Durable e-commerce checkouts: each \`POST /v1/checkouts\` starts one Temporal saga (inventory, fraud, payment).

Authenticate with \`Authorization: Bearer <key>\`. Errors are \`application/problem+json\` (RFC 9457) with a machine-readable \`code\`.
Request bodies are limited to ${MAX_BODY_BYTES} bytes; unknown fields are rejected.`;

export function registerDocs(app: OpenAPIHono<AppEnv>, publicUrl: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A merchant or operator API key',
  });

  app.doc31('/openapi.json', () => ({
    openapi: '3.1.0',
    info: { title: 'Durable Checkout API', version: '1.0.0', description: DESCRIPTION },
    servers: [{ url: publicUrl.replace(/\/+$/, '') }],
    tags: [
      { name: 'Checkouts', description: 'Start, read, cancel and review checkout sagas' },
      { name: 'Orders', description: 'Orders created by completed checkouts' },
      { name: 'Refunds', description: 'Refunds of completed checkouts, each its own durable workflow' },
      { name: 'Webhooks', description: 'Endpoints the events are delivered to, signed (Standard Webhooks), and their delivery logs' },
      { name: 'Analytics', description: 'Checkout outcomes counted from the event stream' },
      { name: 'Operations', description: 'Health, readiness and metrics' },
    ],
  }));

  const distDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Promise<Buffer>>();

  app.get('/docs', (c) => c.html(PAGE));
  app.get('/docs/assets/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS.get(file);
    if (!type) throw new ApiError('not_found', `No asset ${file}.`);
    let content = cache.get(file);
    if (!content) {
      content = readFile(path.join(distDir, file));
      cache.set(file, content);
      content.catch(() => cache.delete(file));
    }
    return c.body(new Uint8Array(await content), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });

  app.get('/problems/:code', (c) => {
    const code = c.req.param('code');
    if (!Object.hasOwn(PROBLEMS, code)) throw new ApiError('not_found', `No problem type ${code}.`);
    const { status, title } = PROBLEMS[code as ProblemCode];
    return c.json({ type: problemType(code as ProblemCode), code, status, title });
  });
}
