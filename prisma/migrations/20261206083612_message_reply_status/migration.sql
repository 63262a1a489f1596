-- CreateEnum
CREATE TYPE "ReplyStatus" AS ENUM ('PENDING', 'FAILED');

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "reply_error" TEXT,
ADD COLUMN     "reply_status" "ReplyStatus";
