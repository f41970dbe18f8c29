-- CreateTable
CREATE TABLE "RecServed" (
    "feedRequestId" UUID NOT NULL,
    "videoId" TEXT NOT NULL,
    "viewerKey" TEXT NOT NULL,
    "servedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "position" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,
    "cohort" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "features" REAL[],
    "score" DOUBLE PRECISION NOT NULL,
    "heads" REAL[],

    CONSTRAINT "RecServed_pkey" PRIMARY KEY ("feedRequestId","videoId")
);

-- CreateIndex
CREATE INDEX "RecServed_servedAt_idx" ON "RecServed" USING BRIN ("servedAt");

-- CreateIndex
CREATE INDEX "RecServed_viewerKey_servedAt_idx" ON "RecServed"("viewerKey", "servedAt");
