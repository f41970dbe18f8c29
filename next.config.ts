import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and Node-only packages stay out of the bundle and load from node_modules at run time.
  serverExternalPackages: [
    "@node-rs/argon2",
    "pino",
    "prom-client",
    "bullmq",
    "ioredis",
    "pg",
    "@prisma/adapter-pg",
    "sharp",
    "fluent-ffmpeg",
    "onnxruntime-node",
    "onnx-proto",
    "@tus/server",
    "@tus/file-store",
    "@aws-sdk/client-s3",
  ],
  poweredByHeader: false,
  // Profiles live at /@handle; a folder named "@…" would be a parallel-route slot, so the page sits at /u/[handle].
  async rewrites() {
    return [{ source: "/@:handle", destination: "/u/:handle" }];
  },
};

export default nextConfig;
