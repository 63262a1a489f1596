// Providers and model defaults, prices and usage rollups, budgets.
export * from "./providers.ts";
export * from "./prices.ts";
export * from "./budgets.ts";
