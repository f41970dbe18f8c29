# Flick in one image. NOT YET VERIFIED BY A BUILD: no Docker engine runs on the development machines.
#
# Default command: the same launcher as `npm start`. It runs web + worker and, when DATABASE_URL / REDIS_URL are unset,
# the embedded PostgreSQL and a private redis-server with their data under /data:
#   docker build -t flick . && docker run -p 3000:3000 -v flick-data:/data flick
# Stop it with `docker stop -t 60`: Docker's default 10 s is shorter than the worker's 25 s job grace plus
# PostgreSQL's shutdown.
#
# Roles, for scaled deployments (see docker-compose.yml); both need DATABASE_URL and REDIS_URL, web also AUTH_SECRET
# and PUBLIC_URL/NEXTAUTH_URL:
#   web:     npx next start -p 3000 -H 0.0.0.0
#   worker:  npx tsx workers/index.ts
#   migrate: npx prisma migrate deploy

FROM node:20-bookworm-slim

# The embedded PostgreSQL refuses to run as root; embedded-postgres then runs it as a "postgres" user. Created here,
# with a fixed id, so that the user still exists (with the same id that owns /data/postgres) in every new container of
# every rebuilt image. If embedded-postgres created it at run time, a recreated container would lack it. 999 is the
# id the official postgres image uses.
RUN groupadd --system --gid 999 postgres \
 && useradd --system --uid 999 --gid postgres --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres

# ffmpeg/ffprobe: checked at start-up, and used by the media pipeline. redis-server: the private Redis, used when
# REDIS_URL is unset.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg redis-server ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1

# Dependencies first, so code changes reuse this layer. postinstall generates the Prisma client, which needs the
# schema, prisma.config.ts and its wrapper script. `npm install` (not `npm ci`) because the lock lists optional
# macOS/Windows builds that the registry used here lacks (docs/DEVELOPERS.md). onnxruntime-node's install step would
# fetch GPU files from outside npm; the CPU runtime ships in the package. All dependencies, dev included: next build
# type-checks with typescript.
COPY package.json package-lock.json .npmrc ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma/ prisma/
COPY prisma.config.ts ./
RUN ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm install --no-audit --no-fund

COPY . .
# `next build` through the launcher's own build step, which also records the source fingerprint. A bare
# `npx next build` would leave no fingerprint, and the launcher would build again on every new container's first start.
RUN npx tsx -e 'import("./scripts/build.ts").then(({ ensureBuild }) => ensureBuild(console.log))'

# LANG: the embedded PostgreSQL's initdb takes its encoding from the locale; with none set (as in this base image) the
# database would be SQL_ASCII instead of UTF8.
ENV NODE_ENV=production \
    LANG=C.UTF-8 \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
VOLUME /data
# 3000: web. The worker's metrics (WORKER_METRICS_PORT, 9464) are for a scraper on the container network.
EXPOSE 3000

# Node as PID 1 runs the launcher directly (no npx/tsx wrapper processes), so `docker stop`'s SIGTERM reaches its
# handler, which stops web, worker, PostgreSQL and Redis in order.
CMD ["node", "--import", "tsx", "scripts/start.ts"]
