-- CreateTable
CREATE TABLE "RecModel" (
    "version" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "parentVersion" TEXT,
    "status" TEXT NOT NULL,
    "metrics" JSONB NOT NULL,
    "onnx" BYTEA NOT NULL,
    "weights" JSONB NOT NULL,
    "featureNames" TEXT[],
    "trainExamples" INTEGER NOT NULL,
    "testExamples" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "promotedAt" TIMESTAMP(3),

    CONSTRAINT "RecModel_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "RecEmbedding" (
    "version" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dim" INTEGER NOT NULL,
    "videoIds" TEXT[],
    "videoVectors" BYTEA NOT NULL,
    "viewerKeys" TEXT[],
    "viewerVectors" BYTEA NOT NULL,
    "interactions" INTEGER NOT NULL,

    CONSTRAINT "RecEmbedding_pkey" PRIMARY KEY ("version")
);

-- CreateIndex
CREATE INDEX "RecModel_status_promotedAt_idx" ON "RecModel"("status", "promotedAt");
