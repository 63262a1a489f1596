// The application router: one entry per domain.
import { adminRouter } from "./routers/admin/index.ts";
import { authRouter } from "./routers/auth.ts";
import { characterRouter } from "./routers/character.ts";
import { collectionRouter } from "./routers/collection.ts";
import { engagementRouter } from "./routers/engagement.ts";
import { healthProcedure } from "./routers/health.ts";
import { knowledgeRouter } from "./routers/knowledge.ts";
import { memoryRouter } from "./routers/memory.ts";
import { messageRouter } from "./routers/message.ts";
import { sessionRouter } from "./routers/session.ts";
import { usageRouter } from "./routers/usage.ts";
import { userRouter } from "./routers/user.ts";
import { createCallerFactory, router } from "./trpc.ts";

export const appRouter = router({
  health: healthProcedure,
  session: sessionRouter,
  message: messageRouter,
  collection: collectionRouter,
  character: characterRouter,
  engagement: engagementRouter,
  memory: memoryRouter,
  knowledge: knowledgeRouter,
  auth: authRouter,
  user: userRouter,
  admin: adminRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
