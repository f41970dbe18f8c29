import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { UploadForm } from "@/components/upload/upload-form";
import { getSessionUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Upload" };

export default async function UploadPage() {
  if (!(await getSessionUser())) redirect("/sign-in");
  return (
    <>
      <h1 style={{ marginTop: 0 }}>Upload a video</h1>
      <UploadForm />
    </>
  );
}
