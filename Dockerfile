# ballot-inbox production image: the daemon (`ballot-inbox run`) as a non-root user, data in /app/var.
# Build:  docker build -t ballot-inbox .
# Run:    docker run -v ballot-data:/app/var -v $PWD/config:/app/config:ro -p 127.0.0.1:8080:8080 ballot-inbox

FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
# npm ci runs the "prepare" script, which compiles src/ to dist/.
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
# glibc malloc bounded for image work (src/worker/allocator.ts says why and what was measured):
# with glibc's defaults the RSS keeps growing page after page.
ENV NODE_ENV=production LOG_FORMAT=json MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY seeds ./seeds
RUN mkdir -p /app/var && chown node:node /app/var
USER node
VOLUME ["/app/var"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/ballot-inbox.js"]
CMD ["run"]
