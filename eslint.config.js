// Lint rules for the whole monorepo, and the boundary that keeps server code out of the browser apps.
// TypeScript files also get a few type-aware rules: the ones that catch real bugs (a promise nobody
// awaits or catches, a promise passed where a callback's result is ignored, awaiting a non-promise).
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

// Why the clients may not import these: a value import pulls the server (tRPC router, Prisma,
// database drivers, secrets read from the environment) into the browser bundle.
const BUNDLES_SERVER = "it would bundle server-only code into the browser app";

const clientBoundary = {
  paths: [
    {
      name: "@lockstep/api",
      allowTypeImports: true,
      message: `Use \`import type { AppRouter } from "@lockstep/api"\`: a value import of the API ${BUNDLES_SERVER} (the tRPC router and everything it reaches, down to the database).`,
    },
    {
      name: "@lockstep/db",
      message: `@lockstep/db is server-only, not even its types belong in a client: ${BUNDLES_SERVER}, and database rows are not the wire format. Use the DTO types and enums from @lockstep/contracts.`,
    },
    {
      name: "@lockstep/config",
      message: `@lockstep/config is server-only: it reads the server's environment (secrets included), and ${BUNDLES_SERVER}.`,
    },
    {
      name: "pg",
      message: `pg is a server-side PostgreSQL driver: ${BUNDLES_SERVER}. Call the API through tRPC instead.`,
    },
  ],
  patterns: [
    {
      group: ["@lockstep/api/*"],
      allowTypeImports: true,
      message: `Only \`import type\` from the API: a value import ${BUNDLES_SERVER}.`,
    },
    {
      group: ["@lockstep/db/*"],
      message: `@lockstep/db is server-only, types included: ${BUNDLES_SERVER}. Use @lockstep/contracts.`,
    },
    {
      group: ["@lockstep/config/*"],
      message: `@lockstep/config is server-only, types included: ${BUNDLES_SERVER}.`,
    },
    {
      group: ["@prisma/*", "pg/*"],
      message: `Prisma and database drivers are server-only, types and enums included: ${BUNDLES_SERVER}, and Prisma enums are not the wire format. Use @lockstep/contracts.`,
    },
    {
      group: ["**/packages/*/src/**", "**/apps/server/**"],
      message:
        "Import workspace packages by name (e.g. @lockstep/contracts), never by a relative path into their sources.",
    },
  ],
};

// The environment is read in one place, @lockstep/config, validated before anything runs; everything
// else gets typed config passed in. (create-t3-turbo's restrictEnvAccess.)
const USE_CONFIG =
  "Read configuration through @lockstep/config (loadConfig) and pass the typed slice in: it is validated once, before anything runs.";

const restrictEnvAccess = {
  files: ["{packages,apps}/*/src/**/*.{ts,tsx,mts,cts}"],
  ignores: [
    "packages/config/src/**",
    // Test support may read the test run's own variables (DATABASE_URL for the suite's database).
    "**/*.test.{ts,tsx}",
    "**/testing/**",
    "**/test/**",
    "**/e2e/**",
    "**/*.config.{ts,mts,js,mjs}",
  ],
  rules: {
    "no-restricted-properties": ["error", { object: "process", property: "env", message: USE_CONFIG }],
    "no-restricted-syntax": [
      "error",
      {
        selector: "VariableDeclarator[init.name='process'] > ObjectPattern > Property[key.name='env']",
        message: USE_CONFIG,
      },
      {
        selector: "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name='env']",
        message: USE_CONFIG,
      },
    ],
  },
};

export default defineConfig(
  globalIgnores([
    "**/dist/",
    "**/node_modules/",
    "**/.turbo/",
    "packages/db/src/generated/",
    ".tools/",
    ".data/",
    "coverage/",
    "test-results/",
  ]),
  {
    files: ["**/*.{js,mjs,cjs}"],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["**/*.{ts,tsx,mts,cts}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    // Each package's own tsconfig.json covers these (the browser tests' and build configs' files are
    // checked by the rules above without type information).
    files: ["{apps,packages}/*/{src,test}/**/*.{ts,tsx,mts,cts}", "bench/src/**/*.ts"],
    ignores: ["apps/web/src/lint-boundary.test.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Fire-and-forget is allowed, but must be written as such: `void promise` (with its own .catch).
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  {
    files: ["apps/web/src/**", "apps/admin/src/**"],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ["apps/web/**/*.{ts,tsx,mts,cts,js,mjs}", "apps/admin/**/*.{ts,tsx,mts,cts,js,mjs}"],
    // Registered here as well so plain .js/.mjs files in the apps get the same boundary.
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      // The TypeScript version understands `import type`; the core rule would flag type imports too.
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": ["error", clientBoundary],
    },
  },
  {
    // Test support lives outside src (packages/*/test, */testing entry points) so production code
    // cannot reach it: it imports vitest, inserts rows as the owner and mounts fakes.
    files: ["{packages,apps}/*/src/**/*.{ts,tsx,mts,cts}"],
    ignores: ["**/*.test.{ts,tsx}", "**/e2e/**", "{packages,apps}/*/src/testing/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/test/**", "*/testing", "**/testing", "**/testing/**"],
              message: "Test support is for tests only: production code may not import it (test files may).",
            },
          ],
        },
      ],
    },
  },
  restrictEnvAccess,
);
