-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "hidden" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "parent_id" UUID,
ADD COLUMN     "selected" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "stop_requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "stopped" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "version_of" UUID;

-- CreateIndex
CREATE INDEX "messages_parent_id_idx" ON "messages"("parent_id");

-- CreateIndex
CREATE INDEX "messages_version_of_idx" ON "messages"("version_of");

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_version_of_fkey" FOREIGN KEY ("version_of") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;
