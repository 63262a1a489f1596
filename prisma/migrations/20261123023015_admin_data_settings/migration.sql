-- CreateTable
CREATE TABLE "data_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "retention_days" INTEGER NOT NULL,
    "masking" JSONB NOT NULL,
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_settings_pkey" PRIMARY KEY ("id")
);

-- Hand-written below: one row only, days in the range the contract allows, masking an object.
ALTER TABLE "data_settings" ADD CONSTRAINT "data_settings_single_row" CHECK ("id" = 1);
ALTER TABLE "data_settings" ADD CONSTRAINT "data_settings_retention_days_range" CHECK ("retention_days" BETWEEN 1 AND 3650);
ALTER TABLE "data_settings" ADD CONSTRAINT "data_settings_masking_object" CHECK (jsonb_typeof("masking") = 'object');

-- Operators read and save the settings (admin.data.settings / updateSettings, audited); the
-- application role never touches them (the log and the retention job run as the owner).
GRANT SELECT, INSERT, UPDATE ON "data_settings" TO lockstep_admin;

-- Operators' tools beyond reading (issue "admin tool"), each audited with its before state:
-- admin.users.delete removes an account (the cascades run with the owner's rights) after clearing
-- the client IP of its logged calls, as the person's own deletion does;
GRANT DELETE ON "users" TO lockstep_admin;
GRANT UPDATE ("ip_address") ON "ai_interactions" TO lockstep_admin;
-- admin.sessions.restore brings a soft-deleted session back and admin.sessions.purge removes one.
GRANT UPDATE ("deleted_at", "is_active", "updated_at") ON "sessions" TO lockstep_admin;
GRANT DELETE ON "sessions" TO lockstep_admin;
