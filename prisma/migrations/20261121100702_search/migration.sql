-- Search (lib/search): trigram and full-text indexes.

-- Hand-written: pg_trgm provides the similarity operators and the gin_trgm_ops operator class used below. It is not
-- declared in schema.prisma with extensions = [pg_trgm] because the wasm schema engine of Prisma, the only one that
-- runs here, does not read installed extensions back, so the drift check would ask to create it forever. pg_trgm
-- ships with PostgreSQL (contrib) and is a trusted extension: the database owner may create it without superuser.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "Hashtag_name_trgm_idx" ON "Hashtag" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "User_handle_trgm_idx" ON "User" USING GIN ("handle" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "User_name_trgm_idx" ON "User" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Video_caption_trgm_idx" ON "Video" USING GIN ("caption" gin_trgm_ops);

-- Hand-written: full-text search on captions, an expression index Prisma cannot declare (and that its diff leaves
-- alone). The english configuration stems caption words (cooking becomes cook), and the simple one keeps every word as
-- written, so handles, hashtags and English stop words still match. lib/search/search.ts queries exactly this
-- expression, so the planner can use the index.
CREATE INDEX "Video_caption_fts_idx" ON "Video" USING GIN ((to_tsvector('english'::regconfig, "caption") || to_tsvector('simple'::regconfig, "caption")));
