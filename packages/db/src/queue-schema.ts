// Where pg-boss keeps its tables, for the queue and for the few reads across it (upkeep, the Jobs page).

/** The schema pg-boss keeps its tables in (created and migrated by pg-boss itself). */
export const JOB_QUEUE_SCHEMA = "pgboss";
