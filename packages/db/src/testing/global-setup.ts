// Vitest global setup: build the migrated test template once before the test files start.
import { prepareTestTemplate } from "./index.ts";

export default async function setup(): Promise<void> {
  await prepareTestTemplate();
}
