# syntax=docker/dockerfile:1
# Production image: Node 24 LTS (dev machines run Node 20; the code supports both).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# DATABASE_URL (owner, migrations), AUTH_JWT_SECRET (or AUTH_JWKS_URL) and PII_MASTER_KEY are
# required here: the process stops with a message naming the missing one (the embedded PostgreSQL
# and generated secrets are for development only). Set DATABASE_APP_URL too (the non-owner role;
# without it row-level security is not enforced, and the start says so). Every other variable has
# a default: see the README's Configuration table. SIGTERM drains and exits 0.
STOPSIGNAL SIGTERM
# the api's readiness (the projector, started with another command, is probed on PROJECTOR_PORT)
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
