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
# DATABASE_URL (owner, migrations) and DATABASE_APP_URL (application role) are required here:
# the embedded PostgreSQL is for development only.
CMD ["node", "dist/apps/api/src/main.js"]
