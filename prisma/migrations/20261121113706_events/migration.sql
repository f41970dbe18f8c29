-- CreateEnum
CREATE TYPE "EventType" AS ENUM ('IMPRESSION', 'PLAY', 'PROGRESS', 'COMPLETE', 'SKIP', 'LIKE', 'UNLIKE', 'SHARE', 'BOOKMARK', 'UNBOOKMARK', 'FOLLOW', 'UNFOLLOW', 'NOT_INTERESTED', 'COMMENT');

-- CreateEnum
CREATE TYPE "EventSource" AS ENUM ('FOR_YOU', 'FOLLOWING', 'PROFILE', 'SEARCH', 'HASHTAG', 'LINK', 'OTHER');

-- CreateTable
CREATE TABLE "Event" (
    "id" UUID NOT NULL,
    "txid" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" "EventType" NOT NULL,
    "source" "EventSource" NOT NULL,
    "videoId" TEXT NOT NULL,
    "userId" TEXT,
    "deviceId" UUID,
    "feedRequestId" UUID,
    "watchedMs" INTEGER,
    "loops" INTEGER,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventCursor" (
    "name" TEXT NOT NULL,
    "txid" BIGINT NOT NULL DEFAULT 0,
    "eventId" UUID NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventCursor_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "DeviceLink" (
    "deviceId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeviceLink_pkey" PRIMARY KEY ("deviceId")
);

-- CreateTable
CREATE TABLE "VideoDailyStats" (
    "videoId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "impressions" INTEGER NOT NULL DEFAULT 0,
    "views" INTEGER NOT NULL DEFAULT 0,
    "viewsForYou" INTEGER NOT NULL DEFAULT 0,
    "viewsFollowing" INTEGER NOT NULL DEFAULT 0,
    "viewsProfile" INTEGER NOT NULL DEFAULT 0,
    "viewsSearch" INTEGER NOT NULL DEFAULT 0,
    "viewsHashtag" INTEGER NOT NULL DEFAULT 0,
    "viewsLink" INTEGER NOT NULL DEFAULT 0,
    "viewsOther" INTEGER NOT NULL DEFAULT 0,
    "watchedViews" INTEGER NOT NULL DEFAULT 0,
    "watchMs" BIGINT NOT NULL DEFAULT 0,
    "completions" INTEGER NOT NULL DEFAULT 0,
    "skips" INTEGER NOT NULL DEFAULT 0,
    "replays" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "VideoDailyStats_pkey" PRIMARY KEY ("videoId","day")
);

-- CreateTable
CREATE TABLE "VideoRetention" (
    "videoId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "second" INTEGER NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "VideoRetention_pkey" PRIMARY KEY ("videoId","day","second")
);

-- CreateTable
CREATE TABLE "VideoViewer" (
    "videoId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "viewer" TEXT NOT NULL,

    CONSTRAINT "VideoViewer_pkey" PRIMARY KEY ("videoId","day","viewer")
);

-- CreateTable
CREATE TABLE "VideoFollowGain" (
    "videoId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "VideoFollowGain_pkey" PRIMARY KEY ("videoId","userId")
);

-- CreateIndex
CREATE INDEX "Event_txid_id_idx" ON "Event"("txid", "id");

-- CreateIndex
CREATE INDEX "Event_at_idx" ON "Event" USING BRIN ("at");

-- CreateIndex
CREATE INDEX "DeviceLink_userId_idx" ON "DeviceLink"("userId");

-- CreateIndex
CREATE INDEX "VideoFollowGain_videoId_day_idx" ON "VideoFollowGain"("videoId", "day");

-- AddForeignKey
ALTER TABLE "DeviceLink" ADD CONSTRAINT "DeviceLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoDailyStats" ADD CONSTRAINT "VideoDailyStats_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoRetention" ADD CONSTRAINT "VideoRetention_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoViewer" ADD CONSTRAINT "VideoViewer_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoFollowGain" ADD CONSTRAINT "VideoFollowGain_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;
