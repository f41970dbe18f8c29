-- AlterTable
ALTER TABLE "Video" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "media" JSONB,
ADD COLUMN     "mediaVersion" TEXT,
ADD COLUMN     "playableAt" TIMESTAMP(3),
ADD COLUMN     "sourceBytes" BIGINT,
ADD COLUMN     "sourceKey" TEXT,
ADD COLUMN     "storageBytes" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "uploadId" TEXT;

-- CreateTable
CREATE TABLE "Upload" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "filename" TEXT NOT NULL DEFAULT '',
    "sizeBytes" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "consumedAt" TIMESTAMP(3),

    CONSTRAINT "Upload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VideoFeatures" (
    "videoId" TEXT NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "aspect" DOUBLE PRECISION NOT NULL,
    "fps" DOUBLE PRECISION NOT NULL,
    "loudnessLufs" DOUBLE PRECISION,
    "sceneCutRate" DOUBLE PRECISION NOT NULL,
    "motion" DOUBLE PRECISION NOT NULL,
    "brightness" DOUBLE PRECISION NOT NULL,
    "colorfulness" DOUBLE PRECISION NOT NULL,
    "phash" BIGINT NOT NULL,
    "textTokens" TEXT[],
    "embedding" DOUBLE PRECISION[],
    "duplicateOfId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VideoFeatures_pkey" PRIMARY KEY ("videoId")
);

-- CreateTable
CREATE TABLE "VideoMention" (
    "videoId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    CONSTRAINT "VideoMention_pkey" PRIMARY KEY ("videoId","userId")
);

-- CreateIndex
CREATE INDEX "Upload_userId_createdAt_idx" ON "Upload"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Upload_completedAt_idx" ON "Upload"("completedAt");

-- CreateIndex
CREATE INDEX "VideoMention_userId_idx" ON "VideoMention"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Video_uploadId_key" ON "Video"("uploadId");

-- AddForeignKey
ALTER TABLE "Upload" ADD CONSTRAINT "Upload_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoFeatures" ADD CONSTRAINT "VideoFeatures_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoMention" ADD CONSTRAINT "VideoMention_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoMention" ADD CONSTRAINT "VideoMention_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
