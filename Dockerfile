# hypertune: one image for the operator (`hypertune operator`) and for the
# File collector sidecar (`hypertune collect`).
#
#   docker build -t hypertune:dev .
#
# Multi-stage: compile with the full toolchain, then ship only the compiled
# output and production dependencies on a slim base. Runs as a numeric
# non-root user and needs no writable root filesystem.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim
# The build stage's base, the same unless `npm ci` needs more than the runtime
# should carry (test/images/build.sh adds a proxy's CA here).
ARG BUILD_IMAGE=${NODE_IMAGE}

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would compile before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY crds ./crds
RUN ln -s /app/bin/hypertune.js /usr/local/bin/hypertune
# The `node` user of the official images, by number so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080 8081
ENTRYPOINT ["hypertune"]
CMD ["operator"]
