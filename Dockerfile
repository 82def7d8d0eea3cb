# syntax=docker/dockerfile:1
# The hub, built from source: `docker build -t codex-hub .`, or `docker compose up -d` with compose.yaml.
# scripts/ci/fresh-clone.sh runs these same steps without Docker; keep the two in step.

# Build stage: every dependency, plus the compiler better-sqlite3 needs when no prebuilt binary fits.
FROM node:22-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
# Drops the dev dependencies in place, keeping the native module compiled above.
RUN npm prune --omit=dev --no-audit --no-fund

# Final stage: the build, production dependencies and the files read at run time; no compiler, no source.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    HUB_DB_PATH=/data/hub.sqlite
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Applied at every start.
COPY --from=build /app/migrations ./migrations
# run.mjs serves `npm start`, `npm run demo` and `npm run backup`; the demo agent is sandbox mode's executor.
COPY --from=build /app/scripts/run.mjs /app/scripts/demo-agent.mjs ./scripts/
# The database, its generated secrets (sandbox mode) and backups live on the volume.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8787
# slim images have no curl: Node's own fetch asks /readyz (database reachable, migrations applied).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (not npm), so `docker stop`'s SIGTERM reaches the hub, which then shuts down cleanly.
CMD ["node", "dist/runtime/node.js"]
