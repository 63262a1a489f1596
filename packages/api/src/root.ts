// The application router: one entry per domain.
import { adminRouter } from "./routers/admin/index.ts";
import { authRouter } from "./routers/auth.ts";
import { healthProcedure } from "./routers/health.ts";
import { userRouter } from "./routers/user.ts";
import { createCallerFactory, router } from "./trpc.ts";

export const appRouter = router({
  health: healthProcedure,
  auth: authRouter,
  user: userRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
