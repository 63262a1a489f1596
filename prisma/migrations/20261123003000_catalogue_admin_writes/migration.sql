-- Operators edit the character catalogue from the admin tool (admin.characters.*, admin.templates.*).
-- Those procedures run as lockstep_admin, which could only read the catalogue; this lets it add and
-- change characters and templates. No DELETE: sessions, engagements and memories point at them, so
-- a persona is retired by deactivating it, and its history stays readable.
GRANT INSERT, UPDATE ON "characters", "episode_templates" TO lockstep_admin;
