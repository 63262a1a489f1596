// Prisma CLI configuration: where the schema and migrations live. The CLI is used only for
// `prisma generate`; migrations are written and applied by packages/db through the WASM schema engine.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
