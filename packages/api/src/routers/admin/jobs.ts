// `admin.jobs.*`: operators look at the durable job queue (jobs by state and queue, counts per state) and retry or cancel a job; retries and cancels are audited.
import {
  ZJobCancelInputSchema,
  ZJobCountsSchema,
  ZJobDtoSchema,
  ZJobListInputSchema,
  ZJobListPageSchema,
  ZJobRetryInputSchema,
} from "@lockstep/contracts";
import { cancelJob, countJobs, listJobs, retryJob } from "../../services/admin/jobs.ts";
import { adminProcedure, router } from "../../trpc.ts";

export const adminJobsRouter = router({
  /** Newest first; empty when this server runs no queue. */
  list: adminProcedure
    .input(ZJobListInputSchema)
    .output(ZJobListPageSchema)
    .query(({ ctx, input }) => listJobs(ctx.ai?.jobs, input)),
  counts: adminProcedure.output(ZJobCountsSchema).query(({ ctx }) => countJobs(ctx.ai?.jobs)),
  retry: adminProcedure
    .input(ZJobRetryInputSchema)
    .output(ZJobDtoSchema)
    .mutation(({ ctx, input }) => retryJob(ctx.adminDb, ctx.ai?.jobs, input)),
  cancel: adminProcedure
    .input(ZJobCancelInputSchema)
    .output(ZJobDtoSchema)
    .mutation(({ ctx, input }) => cancelJob(ctx.adminDb, ctx.ai?.jobs, input)),
});
