# One image for the API, the worker and the migration job; docker-compose.yml picks the entry point.
FROM node:20-slim

WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so a code change does not reinstall them. Dev dependencies (TypeScript,
# type packages) are not needed at run time: tsx runs the sources directly.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .

USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
