# syntax=docker/dockerfile:1
# nest-session-starter: build with dev dependencies, ship production dependencies only.
# scripts/verify-image-recipe.sh repeats these steps outside Docker (it reads the COPY lines of the build
# stage), so keep every build-stage COPY on the form `COPY <files…> ./` or `COPY <dir>/ ./<dir>/`.

# Both stages use the same Debian trixie base (Node's default from 26 on), so a native addon compiled in the
# build stage links against the glibc it runs with, and the runtime stage pulls no second base image.
FROM node:26-trixie-slim AS build
WORKDIR /app
# argon2 and better-sqlite3 compile from source where their packages carry no prebuilt binary for the
# platform (package.json allowScripts approves exactly their install scripts); slim images lack the compilers.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts/ ./scripts/
COPY src/ ./src/
# --omit=optional too: npm keeps a devDependency that a production package names as an optional peer
# (typescript, for @nestjs/swagger) unless optional ones go as well.
RUN npm run build \
  && npm prune --omit=dev --omit=optional --no-audit --no-fund

FROM node:26-trixie-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    INSTANCE_PATH=/app/instance
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The code stays root-owned (read-only to the app); only the instance folder is writable by node, and
# only node can read it (it holds the users database and maybe config.json).
RUN mkdir -p /app/instance && chown node:node /app/instance && chmod 700 /app/instance
USER node
VOLUME ["/app/instance"]
EXPOSE 3000
# (no --start-period: dockerfilelint 1.8 misreads it; the app answers within a second of starting)
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The same V8 heap settings as `npm run start:prod` (a test checks they agree): a 2 MB young generation and
# a 512 MB old-space cap kept the resident size at about 165 MB under load (measured on Node 24), at no CPU
# cost the bench can see (docs/PERFORMANCE.md); raise the cap if your app keeps more in memory. Argon2's
# 19 MiB per hash stays with glibc after logins: ENV MALLOC_MMAP_THRESHOLD_=131072 returns it, for fewer
# logins/s. dist/bundle/main.js is the app in one file (scripts/bundle.mjs); native addons load from
# node_modules.
CMD ["node", "--max-semi-space-size=2", "--max-old-space-size=512", "dist/bundle/main.js"]
