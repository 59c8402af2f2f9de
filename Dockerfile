# syntax=docker/dockerfile:1
# Cleave's one server image. Which parts a container runs is configuration, not a different image:
# CLEAVE_ROLES=api for the HTTP API, CLEAVE_ROLES=worker for the event writer, webhook deliveries and
# retention (see README.md, Configuration). Base images are pinned to an exact Node.js release on
# Debian bookworm; the release workflow records the resolved digest of what it pushed.

# deps: production dependencies only, compiled for the runtime's glibc. better-sqlite3 and argon2 are
# native addons: node-gyp needs a compiler when no prebuilt binary matches.
FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /app
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/sdk/package.json packages/sdk/
COPY packages/server/package.json packages/server/
COPY packages/web/package.json packages/web/
COPY infra/aws/package.json infra/aws/
RUN npm ci --omit=dev --no-audit --no-fund --workspace @cleave/server

# build: every dependency (TypeScript, Vite), then the server and the UI.
FROM deps AS build
# The infra/aws workspace (the CDK app) is not part of the image and is left out.
RUN npm ci --no-audit --no-fund --include-workspace-root --workspace @cleave/core --workspace @cleave/sdk \
  --workspace @cleave/server --workspace @cleave/web
COPY tsconfig.base.json ./
COPY packages ./packages
RUN npm run build

# pgdg: the PostgreSQL project's apt signing key, checked against its published fingerprint.
# Debian bookworm ships pg_dump 15, which refuses to dump a PostgreSQL 16 server (RDS runs 16).
FROM node:20.20.2-bookworm-slim AS pgdg
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
  && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc | gpg --dearmor --output /pgdg.gpg \
  && gpg --show-keys --with-colons /pgdg.gpg | grep -q '^fpr:::::::::B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8:$'

# runtime: Node.js, tini, PostgreSQL 16's pg_dump/pg_restore (for `cleave backup`) and the built
# files; no compiler, no dev dependencies, no sources.
FROM node:20.20.2-bookworm-slim AS runtime
COPY --from=pgdg /pgdg.gpg /usr/share/keyrings/pgdg.gpg
RUN echo 'deb [signed-by=/usr/share/keyrings/pgdg.gpg] http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main' \
    > /etc/apt/sources.list.d/pgdg.list \
  && apt-get update \
  && apt-get install -y --no-install-recommends tini=0.19.0-1+b3 postgresql-client-16=16.* \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/cleave \
  && chown 1000:1000 /var/lib/cleave
ENV NODE_ENV=production \
  PORT=8080 \
  CLEAVE_DATA_DIR=/var/lib/cleave
WORKDIR /app
# The whole deps stage: manifests, node_modules and the per-workspace node_modules npm nests where
# versions differ (packages/server/node_modules), so module resolution matches the build's.
COPY --from=deps --chown=0:0 /app ./
COPY --from=build --chown=0:0 /app/packages/core/dist ./packages/core/dist
COPY --from=build --chown=0:0 /app/packages/server/dist ./packages/server/dist
COPY --from=build --chown=0:0 /app/packages/web/dist ./packages/web/dist
# The files belong to root and the process runs as the image's unprivileged `node` user (uid 1000,
# numeric so Kubernetes can verify runAsNonRoot): it can read its code but not change it.
USER 1000:1000
EXPOSE 8080
# /healthz answers while the process is alive; readiness (/readyz) is for the orchestrator to route by.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini is PID 1: it forwards SIGTERM to Node.js, which drains in-flight work (main.ts), and reaps zombies.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "packages/server/dist/main.js"]
