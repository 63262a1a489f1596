// Test helpers of the AI package (kept off the main entry so production code never loads them).
export * from "./fake-openai-server.ts";
export * from "./chat-screenshot.ts";
export * from "./testing-provider.ts";
