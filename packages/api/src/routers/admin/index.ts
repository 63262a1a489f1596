// `admin.*`: the operators' routers, one per area of the admin tool.
import { router } from "../../trpc.ts";
import { adminCharactersRouter, adminTemplatesRouter } from "./characters.ts";
import { adminAuditRouter, adminDataRouter } from "./data.ts";
import { adminInteractionsRouter } from "./interactions.ts";
import { adminJobsRouter } from "./jobs.ts";
import { adminKnowledgeRouter } from "./knowledge.ts";
import { adminModelsRouter, adminPricesRouter, adminUsageRouter } from "./models.ts";
import { adminMailRouter } from "./mail.ts";
import { adminSessionsRouter } from "./sessions.ts";
import { adminUsersRouter } from "./users.ts";

export const adminRouter = router({
  users: adminUsersRouter,
  interactions: adminInteractionsRouter,
  knowledge: adminKnowledgeRouter,
  characters: adminCharactersRouter,
  templates: adminTemplatesRouter,
  sessions: adminSessionsRouter,
  data: adminDataRouter,
  audit: adminAuditRouter,
  jobs: adminJobsRouter,
  models: adminModelsRouter,
  prices: adminPricesRouter,
  usage: adminUsageRouter,
  mail: adminMailRouter,
});
