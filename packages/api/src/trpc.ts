// The one tRPC instance of the server. Only the builders below leave this file.
import { initTRPC } from "@trpc/server";
import type { InnerContext } from "./context.ts";

const t = initTRPC.context<InnerContext>().create({
  // Plain JSON on the wire (no transformer): timestamps are epoch milliseconds, so any HTTP
  // client can call the API.
  errorFormatter({ shape, error, ctx }) {
    const isInternal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      // Internal failures say nothing about their cause; the stack stays in the server log.
      message: isInternal ? "Internal error" : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId: ctx?.requestMeta.requestId ?? null,
      },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
