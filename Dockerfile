# One image for the API (`node dist/main.js`, the default) and the worker (`node dist/worker.js`).
# Build:  docker build -t gomomo .
# Behind a private registry, proxy or TLS-intercepting CA, pass what your host uses; nothing about
# this machine is written here:
#   docker build --secret id=ca_bundle,src=/etc/ssl/certs/ca-certificates.crt \
#     --build-arg NPM_CONFIG_REGISTRY=… --build-arg HTTPS_PROXY=… -t gomomo .
# The image has no embedded Postgres: it needs DATABASE_URL (compose.yaml gives it one).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: the whole workspace with dev dependencies, built by turbo ------------------------------
FROM ${NODE_IMAGE} AS build
# Build-time only (ARGs never reach the final stage): registry, proxies, and an extra CA bundle,
# read from a BuildKit secret so it is never stored in a layer.
ARG NPM_CONFIG_REGISTRY
ARG HTTP_PROXY
ARG HTTPS_PROXY
ARG NO_PROXY
ARG NODE_EXTRA_CA_CERTS=/run/secrets/ca_bundle
ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1 \
    PNPM_HOME=/pnpm \
    PATH=/pnpm:$PATH
WORKDIR /src
# corepack would download pnpm from its own host; npm reaches the registry the way the host does.
RUN --mount=type=secret,id=ca_bundle \
    npm install -g --no-fund --no-audit pnpm@10.34.9
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
COPY apps/api/package.json apps/api/
COPY packages packages
COPY tooling tooling
# The build stage has every dependency (embedded Postgres too); only /out reaches the runtime stage.
RUN --mount=type=secret,id=ca_bundle \
    --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm config set store-dir /pnpm/store && \
    pnpm install --frozen-lockfile
COPY . .
RUN pnpm turbo run build --filter=@gomomo/api... --output-logs=errors-only
# A production-only copy of the API with its workspace packages packed in (their dist/ and
# migrations/). Optional dependencies are left out: that is @gomomo/embedded-postgres and its
# ~60 MB of Postgres binaries, so the app must be given DATABASE_URL. typescript (23 MB) comes only
# as a declared peer of @trpc/server and cosmiconfig; nothing loads it at run time (cosmiconfig only
# for a .ts config file, which the image has not), so it goes too.
RUN --mount=type=secret,id=ca_bundle \
    --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm --filter @gomomo/api deploy --legacy --prod --no-optional /out && \
    rm -rf /out/src /out/test /out/bench && \
    test ! -e /out/node_modules/@gomomo/embedded-postgres && \
    rm -rf /out/node_modules/.pnpm/typescript@* /out/node_modules/.pnpm/node_modules/typescript

# ---- runtime: node + the deployed app, as the unprivileged `node` user ----------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=root:root /out /app
USER node
EXPOSE 3000
# /ready answers 200 once the database is reachable and migrated. The worker has no HTTP port:
# compose turns this check off for it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node runs as PID 1 with its own SIGTERM handler (shutdown.ts): stop drains requests and jobs, then exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/main.js"]
