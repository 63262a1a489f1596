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
  // X-Forwarded-For from loopback is believed, as behind a local reverse proxy, so each test's
  // browser can be its own client address (see openDevicePage); requests without it stay 127.0.0.1.
  server = await startProductServer({ env: { TRUST_PROXY: "127.0.0.1" } });
  project.provide("baseUrl", server.baseUrl);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
