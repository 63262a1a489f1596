-- Search ranks only a person's newest matches, so it needs their messages in time order: walking this
-- index backwards finds the newest matches of a common word after a few hundred rows, where ranking
-- every match of that word would read hundreds of thousands. (Message ids are random, not time-ordered.)
CREATE INDEX "messages_user_recency_idx" ON "messages" ("user_id", "timestamp", "id");
