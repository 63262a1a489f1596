-- Hand-written: schema.prisma cannot declare a column's compression.

-- A reply's PENDING row carries its prompt and its request (the same messages again), about 9 KB
-- each in a long session, and it is written while the person waits for the reply. lz4 compresses
-- them in a fraction of pglz's time at about the same size (a 9.4 KB prompt: 2.2 KB with lz4, 2.1 KB
-- with pglz), which takes about 0.2 ms off each reply's PENDING write on PostgreSQL. A server built
-- without lz4 (the embedded database is) keeps pglz. Values already stored keep their compression.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE "ai_interactions"
      ALTER COLUMN "prompt_text" SET COMPRESSION lz4,
      ALTER COLUMN "request" SET COMPRESSION lz4;
  END IF;
END
$$;
