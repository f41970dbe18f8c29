-- CreateTable
CREATE TABLE "RecViewerReset" (
    "viewerKey" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecViewerReset_pkey" PRIMARY KEY ("viewerKey")
);
