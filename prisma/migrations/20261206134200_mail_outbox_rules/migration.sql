-- The outbox holds no one person's rows: the server writes it as the owner (as it writes Better
-- Auth's tables) and operators read it. The application role gets nothing, so a person's request
-- can never read another person's reset link; row-level security is on with no policy for it too.
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_status_check" CHECK ("status" IN ('LOGGED', 'SENT', 'FAILED'));
ALTER TABLE "mail_outbox" ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON "mail_outbox" TO lockstep_admin;
