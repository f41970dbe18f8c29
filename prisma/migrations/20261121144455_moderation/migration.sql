-- CreateEnum
CREATE TYPE "ModerationCaseStatus" AS ENUM ('OPEN', 'DISMISSED', 'ACTIONED', 'APPEALED', 'UPHELD', 'REVERSED');

-- CreateEnum
CREATE TYPE "ModerationActionKind" AS ENUM ('HIDE', 'DELETE', 'BAN');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationType" ADD VALUE 'REPORT_OUTCOME';
ALTER TYPE "NotificationType" ADD VALUE 'CONTENT_ACTIONED';
ALTER TYPE "NotificationType" ADD VALUE 'APPEAL_DECIDED';

-- AlterTable
ALTER TABLE "Video" ADD COLUMN     "moderationReason" TEXT;

-- CreateTable
CREATE TABLE "ModerationCase" (
    "id" TEXT NOT NULL,
    "targetKey" TEXT NOT NULL,
    "videoId" TEXT,
    "commentId" TEXT,
    "targetUserId" TEXT,
    "status" "ModerationCaseStatus" NOT NULL DEFAULT 'OPEN',
    "severity" INTEGER NOT NULL DEFAULT 0,
    "reportCount" INTEGER NOT NULL DEFAULT 0,
    "autoReason" TEXT,
    "action" "ModerationActionKind",
    "appealText" TEXT,
    "appealedAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModerationCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModerationLog" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModerationLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PhashBlock" (
    "id" TEXT NOT NULL,
    "phash" BIGINT NOT NULL,
    "videoId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PhashBlock_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ModerationCase_targetKey_key" ON "ModerationCase"("targetKey");

-- CreateIndex
CREATE INDEX "ModerationCase_status_severity_reportCount_idx" ON "ModerationCase"("status", "severity", "reportCount");

-- CreateIndex
CREATE INDEX "ModerationLog_caseId_createdAt_idx" ON "ModerationLog"("caseId", "createdAt");

-- CreateIndex
CREATE INDEX "PhashBlock_videoId_idx" ON "PhashBlock"("videoId");

-- AddForeignKey
ALTER TABLE "ModerationLog" ADD CONSTRAINT "ModerationLog_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "ModerationCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;
