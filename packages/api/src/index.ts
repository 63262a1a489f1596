// Server-only entry of the API package. Clients import `type AppRouter` from here and nothing else.
export { type AppRouter, appRouter, createCaller } from "./root.ts";
export { createInnerContext, type InnerContext, type RequestMeta, type ServerInfo } from "./context.ts";
