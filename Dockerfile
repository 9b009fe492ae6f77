# syntax=docker/dockerfile:1
# Clue Desk as a container image (README, "Container image"): Next.js's standalone output on Node 20, run as a
# non-root user, with its health check on /api/health. Build: `docker build -t clue-desk .`

# Dependencies, from the lock file only, so this layer is reused until package-lock.json changes.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# The production build: .next/standalone holds the server and the node_modules files it uses.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN node node_modules/next/dist/bin/next build

# What runs: the standalone server with the static files beside it (Next.js leaves them out of the standalone folder).
FROM node:20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    CLUE_DESK_DATA_DIR=/data
RUN groupadd --system --gid 1001 clue && useradd --system --uid 1001 --gid clue --no-create-home clue \
    && mkdir /data && chown clue:clue /data
COPY --from=build --chown=clue:clue /app/.next/standalone ./
COPY --from=build --chown=clue:clue /app/.next/static ./.next/static
USER clue
EXPOSE 3000
# The embedded store's data dir (and the generated secret); unused with DATABASE_URL.
VOLUME /data
# On SIGTERM the server drains its requests (SHUTDOWN_GRACE_S, 10 s) and closes the store: give it that long.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
