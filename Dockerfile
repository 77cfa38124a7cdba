# syntax=docker/dockerfile:1
# Agora's production image: the standalone server (next.config.ts `output:
# "standalone"`) on a slim Node, as an unprivileged user. It applies pending
# migrations and the seed itself at start (AGORA_MIGRATE_ON_START), one instance at
# a time, so any number of replicas can start together. See README "Docker".
#
#   docker build -t agora .
#   docker run -p 3000:3000 -e DATABASE_URL=… -e NEXTAUTH_SECRET=… -e METRICS_TOKEN=… agora
ARG NODE_VERSION=22

# 1. Dependencies, at the lockfile's versions. Install scripts stay off (as in
#    package.json's allowScripts): esbuild's is run, and the Prisma client is generated
#    by our own postinstall, explicitly. `npm install`, not `npm ci`: the lockfile is
#    written on a machine whose registry serves only linux-x64 builds of the native
#    packages (Next's SWC, Tailwind's oxide…), so it lists the other platforms' optional
#    packages without entries, which `npm ci` refuses; `npm install` fetches the
#    image's own platform (linux/arm64 too).
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm install --ignore-scripts --no-audit --no-fund && npm rebuild esbuild && npm run postinstall

# 2. The production build: .next/standalone with the browser assets copied in (npm run build).
FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm run build

# 3. The runtime: only the standalone folder, owned by root and read-only to the app
#    (but for Next's cache), run as the image's `node` user (uid 1000).
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    NEXT_MANUAL_SIG_HANDLE=true \
    AGORA_MIGRATE_ON_START=true
WORKDIR /app
COPY --from=build /app/.next/standalone ./
RUN mkdir -p .next/cache && chown node:node .next/cache
USER node
EXPOSE 3000
# SIGTERM: new runs get 503 shutting_down, running ones get AGORA_SHUTDOWN_GRACE_MS, exit 0.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# --experimental-async-context-frame: as scripts/standalone.ts SERVER_NODE_FLAGS says.
CMD ["node", "--experimental-async-context-frame", "server.js"]
