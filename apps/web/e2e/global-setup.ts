// One real server for the whole browser-test run: starting the embedded database takes ~30 s, so
// every test file shares it (each test signs up its own people, so they do not see each other).
import { type ProductServer, startProductServer } from "@lockstep/e2e";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let server: ProductServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startProductServer();
  project.provide("baseUrl", server.baseUrl);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
