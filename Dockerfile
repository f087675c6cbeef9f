# One image for every role; docker-compose picks the role with `--role`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY api ./api
USER node
ENTRYPOINT ["node", "--import", "tsx", "src/main/cli.ts"]
CMD ["--role", "api"]
