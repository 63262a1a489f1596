-- Row-level security (seed 001 section 1.6). Every user-owned table is scoped to the user named in
-- the transaction-local setting app.user_id. The application runs its queries as lockstep_app (not
-- the owner, not a superuser, no BYPASSRLS) through SET LOCAL ROLE in each transaction, so a query
-- without a user sees no user-owned rows at all. Operators' reads use lockstep_admin.
--
-- Foreign-key checks ignore RLS, so a policy that only compared user_id would let one user attach
-- their own row to someone else's session or message. Each WITH CHECK therefore also requires every
-- referenced row to be visible, that is, the same user's.

DO $$
BEGIN
  CREATE ROLE lockstep_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

DO $$
BEGIN
  CREATE ROLE lockstep_admin NOLOGIN NOSUPERUSER BYPASSRLS;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

-- Who the current transaction acts for; NULL when no user is set (never an empty-string match).
CREATE OR REPLACE FUNCTION app_current_user_id() RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('app.user_id', true), '')
$$;

GRANT USAGE ON SCHEMA public TO lockstep_app, lockstep_admin;

-- The application: full access to user-owned rows (policies below narrow it to one user), read
-- access to the shared catalogues, nothing on credentials, migrations or the audit log.
GRANT SELECT, INSERT, UPDATE, DELETE ON
  "sessions", "messages", "user_message_interactions", "collections", "engagements",
  "memory_events", "uploads", "ai_interactions"
  TO lockstep_app;
GRANT SELECT ON "ai_responses" TO lockstep_app;
GRANT SELECT ON "characters", "episode_templates", "knowledge_chunks", "providers" TO lockstep_app;

-- A person's own account row: readable, and only the profile columns writable, so nobody can
-- promote or re-enable themselves. Credentials (accounts, auth_sessions, verifications) stay with
-- the auth layer, which runs as the owner.
GRANT SELECT ("id", "name", "email", "email_verified", "image", "role", "disabled_at", "created_at", "updated_at"),
      UPDATE ("name", "image", "updated_at"),
      DELETE
  ON "users" TO lockstep_app;
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "users_select_self" ON "users" FOR SELECT TO lockstep_app USING ("id" = app_current_user_id());
CREATE POLICY "users_update_self" ON "users" FOR UPDATE TO lockstep_app
  USING ("id" = app_current_user_id()) WITH CHECK ("id" = app_current_user_id());
CREATE POLICY "users_delete_self" ON "users" FOR DELETE TO lockstep_app USING ("id" = app_current_user_id());

-- Operators: read everything but credentials; change only what is granted here.
GRANT SELECT ON
  "users", "sessions", "messages", "user_message_interactions", "collections", "engagements",
  "memory_events", "uploads", "ai_interactions", "ai_responses", "characters", "episode_templates",
  "knowledge_chunks", "providers", "audit_log"
  TO lockstep_admin;
GRANT UPDATE ("role", "disabled_at", "updated_at") ON "users" TO lockstep_admin;
GRANT INSERT ON "audit_log" TO lockstep_admin;


ALTER TABLE "sessions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sessions" FORCE ROW LEVEL SECURITY;
CREATE POLICY "sessions_select_own" ON "sessions" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
CREATE POLICY "sessions_insert_own" ON "sessions" FOR INSERT TO lockstep_app WITH CHECK ("user_id" = app_current_user_id() AND ("engagement_id" IS NULL OR EXISTS (SELECT 1 FROM "engagements" e WHERE e."id" = "engagement_id")));
CREATE POLICY "sessions_update_own" ON "sessions" FOR UPDATE TO lockstep_app USING ("user_id" = app_current_user_id()) WITH CHECK ("user_id" = app_current_user_id() AND ("engagement_id" IS NULL OR EXISTS (SELECT 1 FROM "engagements" e WHERE e."id" = "engagement_id")));
CREATE POLICY "sessions_delete_own" ON "sessions" FOR DELETE TO lockstep_app USING ("user_id" = app_current_user_id());

ALTER TABLE "messages" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "messages" FORCE ROW LEVEL SECURITY;
CREATE POLICY "messages_select_own" ON "messages" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
CREATE POLICY "messages_insert_own" ON "messages" FOR INSERT TO lockstep_app WITH CHECK ("user_id" = app_current_user_id() AND EXISTS (SELECT 1 FROM "sessions" s WHERE s."id" = "session_id"));
CREATE POLICY "messages_update_own" ON "messages" FOR UPDATE TO lockstep_app USING ("user_id" = app_current_user_id()) WITH CHECK ("user_id" = app_current_user_id() AND EXISTS (SELECT 1 FROM "sessions" s WHERE s."id" = "session_id"));
CREATE POLICY "messages_delete_own" ON "messages" FOR DELETE TO lockstep_app USING ("user_id" = app_current_user_id());

ALTER TABLE "user_message_interactions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "user_message_interactions" FORCE ROW LEVEL SECURITY;
CREATE POLICY "user_message_interactions_select_own" ON "user_message_interactions" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
CREATE POLICY "user_message_interactions_insert_own" ON "user_message_interactions" FOR INSERT TO lockstep_app WITH CHECK ("user_id" = app_current_user_id() AND EXISTS (SELECT 1 FROM "messages" m WHERE m."id" = "message_id"));
CREATE POLICY "user_message_interactions_update_own" ON "user_message_interactions" FOR UPDATE TO lockstep_app USING ("user_id" = app_current_user_id()) WITH CHECK ("user_id" = app_current_user_id() AND EXISTS (SELECT 1 FROM "messages" m WHERE m."id" = "message_id"));
CREATE POLICY "user_message_interactions_delete_own" ON "user_message_interactions" FOR DELETE TO lockstep_app USING ("user_id" = app_current_user_id());

ALTER TABLE "collections" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "collections" FORCE ROW LEVEL SECURITY;
CREATE POLICY "collections_select_own" ON "collections" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
CREATE POLICY "collections_insert_own" ON "collections" FOR INSERT TO lockstep_app WITH CHECK ("user_id" = app_current_user_id());
CREATE POLICY "collections_update_own" ON "collections" FOR UPDATE TO lockstep_app USING ("user_id" = app_current_user_id()) WITH CHECK ("user_id" = app_current_user_id());
CREATE POLICY "collections_delete_own" ON "collections" FOR DELETE TO lockstep_app USING ("user_id" = app_current_user_id());

ALTER TABLE "engagements" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "engagements" FORCE ROW LEVEL SECURITY;
CREATE POLICY "engagements_select_own" ON "engagements" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
CREATE POLICY "engagements_insert_own" ON "engagements" FOR INSERT TO lockstep_app WITH CHECK ("user_id" = app_current_user_id());
CREATE POLICY "engagements_update_own" ON "engagements" FOR UPDATE TO lockstep_app USING ("user_id" = app_current_user_id()) WITH CHECK ("user_id" = app_current_user_id());
CREATE POLICY "engagements_delete_own" ON "engagements" FOR DELETE TO lockstep_app USING ("user_id" = app_current_user_id());

ALTER TABLE "memory_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "memory_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY "memory_events_select_own" ON "memory_events" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
CREATE POLICY "memory_events_insert_own" ON "memory_events" FOR INSERT TO lockstep_app WITH CHECK ("user_id" = app_current_user_id() AND ("session_id" IS NULL OR EXISTS (SELECT 1 FROM "sessions" s WHERE s."id" = "session_id")) AND ("message_id" IS NULL OR EXISTS (SELECT 1 FROM "messages" m WHERE m."id" = "message_id")));
CREATE POLICY "memory_events_update_own" ON "memory_events" FOR UPDATE TO lockstep_app USING ("user_id" = app_current_user_id()) WITH CHECK ("user_id" = app_current_user_id() AND ("session_id" IS NULL OR EXISTS (SELECT 1 FROM "sessions" s WHERE s."id" = "session_id")) AND ("message_id" IS NULL OR EXISTS (SELECT 1 FROM "messages" m WHERE m."id" = "message_id")));
CREATE POLICY "memory_events_delete_own" ON "memory_events" FOR DELETE TO lockstep_app USING ("user_id" = app_current_user_id());

ALTER TABLE "uploads" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "uploads" FORCE ROW LEVEL SECURITY;
CREATE POLICY "uploads_select_own" ON "uploads" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
CREATE POLICY "uploads_insert_own" ON "uploads" FOR INSERT TO lockstep_app WITH CHECK ("user_id" = app_current_user_id());
CREATE POLICY "uploads_update_own" ON "uploads" FOR UPDATE TO lockstep_app USING ("user_id" = app_current_user_id()) WITH CHECK ("user_id" = app_current_user_id());
CREATE POLICY "uploads_delete_own" ON "uploads" FOR DELETE TO lockstep_app USING ("user_id" = app_current_user_id());

ALTER TABLE "ai_interactions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ai_interactions" FORCE ROW LEVEL SECURITY;
CREATE POLICY "ai_interactions_select_own" ON "ai_interactions" FOR SELECT TO lockstep_app USING ("user_id" = app_current_user_id());
CREATE POLICY "ai_interactions_insert_own" ON "ai_interactions" FOR INSERT TO lockstep_app WITH CHECK ("user_id" = app_current_user_id() AND ("session_id" IS NULL OR EXISTS (SELECT 1 FROM "sessions" s WHERE s."id" = "session_id")));
CREATE POLICY "ai_interactions_update_own" ON "ai_interactions" FOR UPDATE TO lockstep_app USING ("user_id" = app_current_user_id()) WITH CHECK ("user_id" = app_current_user_id() AND ("session_id" IS NULL OR EXISTS (SELECT 1 FROM "sessions" s WHERE s."id" = "session_id")));
CREATE POLICY "ai_interactions_delete_own" ON "ai_interactions" FOR DELETE TO lockstep_app USING ("user_id" = app_current_user_id());

-- Responses belong to whoever owns their interaction.
ALTER TABLE "ai_responses" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ai_responses" FORCE ROW LEVEL SECURITY;
CREATE POLICY "ai_responses_select_own" ON "ai_responses" FOR SELECT TO lockstep_app
  USING (EXISTS (SELECT 1 FROM "ai_interactions" i WHERE i."id" = "interaction_id"));
