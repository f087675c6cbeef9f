# One image for every role; docker-compose picks the role with `--role`. Two stages: the build (with dev
# dependencies) compiles the service to JavaScript and bundles the workflows once; the runtime has only the
# production dependencies and that output, runs plain `node`, and runs as the unprivileged `node` user.
FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.sh scripts/bundle-workflows.ts ./scripts/
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY api ./api
RUN bash scripts/build.sh

FROM node:24.22.3-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["--role", "api"]
