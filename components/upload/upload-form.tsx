"use client";

// The creator's upload: pick a file and it starts uploading at once (tus, resumable: pause/resume, and re-picking
// the same file after a reload or a server restart continues where it stopped), while they write the caption, pick
// a cover frame and the visibility. Publish hands the finished upload to POST /api/videos.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Upload, type DetailedError } from "tus-js-client";

const CHUNK_BYTES = 8 * 1024 * 1024; // small enough for proxies' body limits, large enough to keep requests few
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10000]; // rides out a server restart mid-upload

type Phase = "idle" | "uploading" | "paused" | "uploaded" | "publishing";

function errorMessage(error: Error | DetailedError): string {
  const body = (error as DetailedError).originalResponse?.getBody();
  if (body) {
    try {
      const parsed = JSON.parse(body) as { error?: { message?: string } };
      if (parsed.error?.message) return parsed.error.message;
    } catch {
      if (body.length < 200) return body;
    }
  }
  return "The upload failed. Check your connection and try again.";
}

export function UploadForm() {
  const router = useRouter();
  const uploadRef = useRef<Upload | null>(null);
  const previewRef = useRef<HTMLVideoElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>("idle");
  const [progress, setProgress] = useState(0);
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [duration, setDuration] = useState(0);
  const [coverTime, setCoverTime] = useState(0);
  // Pausing is offered once the server has created the upload: a pause before that could not be resumed.
  const [resumable, setResumable] = useState(false);

  useEffect(() => () => void uploadRef.current?.abort(), []);
  useEffect(() => () => {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
  }, [previewUrl]);

  async function startUpload(picked: File) {
    setError(null);
    setFile(picked);
    setProgress(0);
    setUploadId(null);
    setResumable(false);
    setPreviewUrl(URL.createObjectURL(picked));
    const upload = new Upload(picked, {
      endpoint: "/api/uploads",
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      metadata: { filename: picked.name, filetype: picked.type },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => setProgress(total > 0 ? sent / total : 0),
      onUploadUrlAvailable: () => setResumable(true),
      onSuccess: () => {
        setUploadId(upload.url?.split("/").pop() ?? null);
        setProgress(1);
        setPhase("uploaded");
      },
      onError: (uploadError) => {
        setError(errorMessage(uploadError));
        setPhase("idle");
      },
    });
    uploadRef.current = upload;
    // A file picked again after a reload or a restart continues from the bytes the server already has.
    const previous = await upload.findPreviousUploads();
    if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
    setPhase("uploading");
    upload.start();
  }

  function togglePause() {
    const upload = uploadRef.current;
    if (!upload) return;
    if (phase === "uploading") {
      void upload.abort();
      setPhase("paused");
    } else if (phase === "paused") {
      upload.start();
      setPhase("uploading");
    }
  }

  async function publish(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!uploadId) return;
    setError(null);
    setPhase("publishing");
    const form = new FormData(event.currentTarget);
    const response = await fetch("/api/videos", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        uploadId,
        caption: String(form.get("caption") ?? ""),
        visibility: String(form.get("visibility") ?? "public"),
        allowComments: form.get("allowComments") === "on",
        coverTime,
      }),
    }).catch(() => null);
    if (!response) {
      setError("The server could not be reached. Try publishing again.");
      setPhase("uploaded");
      return;
    }
    const data = (await response.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
    if (!response.ok) {
      setError(data.error?.message ?? "Publishing failed. Please try again.");
      // A refused file is deleted on the server; the creator picks another one.
      setPhase(response.status === 422 ? "idle" : "uploaded");
      if (response.status === 422) setFile(null);
      return;
    }
    router.push(`/studio?published=${data.id}`);
  }

  const percent = Math.round(progress * 100);
  return (
    <form className="upload" onSubmit={publish}>
      {error && (
        <p className="form-error" role="alert" data-testid="upload-error">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="file">Video file</label>
        <input
          id="file"
          type="file"
          accept="video/*,.mp4,.mov,.webm,.mkv,.m4v"
          disabled={phase === "uploading" || phase === "publishing"}
          onChange={(event) => {
            const picked = event.target.files?.[0];
            if (picked) void startUpload(picked);
          }}
        />
        <span className="hint">MP4, MOV or WebM from your phone or camera; portrait looks best.</span>
      </div>
      {file && (
        <div className="field">
          <div className="progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label="Upload progress">
            <div style={{ width: `${percent}%` }} />
          </div>
          <span className="hint" data-testid="upload-status">
            {phase === "uploaded" || phase === "publishing" ? "Uploaded" : phase === "paused" ? `Paused at ${percent}%` : `Uploading… ${percent}%`}
          </span>
          {resumable && (phase === "uploading" || phase === "paused") && (
            <button type="button" className="button secondary" onClick={togglePause} style={{ alignSelf: "start" }}>
              {phase === "paused" ? "Resume" : "Pause"}
            </button>
          )}
        </div>
      )}
      {previewUrl && (
        <div className="field">
          <label htmlFor="cover">Cover frame</label>
          <video
            ref={previewRef}
            src={previewUrl}
            muted
            playsInline
            preload="auto"
            onLoadedMetadata={(event) => setDuration(event.currentTarget.duration || 0)}
            style={{ width: 180, aspectRatio: "9 / 16", objectFit: "cover", background: "#000", borderRadius: 8 }}
          />
          <input
            id="cover"
            type="range"
            min={0}
            max={Math.max(duration, 0.1)}
            step={0.1}
            value={coverTime}
            onChange={(event) => {
              const time = Number(event.target.value);
              setCoverTime(time);
              if (previewRef.current) previewRef.current.currentTime = time;
            }}
          />
          <span className="hint">Cover at {coverTime.toFixed(1)} s</span>
        </div>
      )}
      <div className="field">
        <label htmlFor="caption">Caption</label>
        <textarea id="caption" name="caption" rows={3} maxLength={2200} placeholder="Describe your video. Add #hashtags and @mentions." />
      </div>
      <div className="field">
        <label htmlFor="visibility">Who can watch</label>
        <select id="visibility" name="visibility" defaultValue="public">
          <option value="public">Everyone (public)</option>
          <option value="unlisted">Anyone with the link (unlisted)</option>
          <option value="private">Only me (private)</option>
        </select>
      </div>
      <label style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 16 }}>
        <input type="checkbox" name="allowComments" defaultChecked /> Allow comments
      </label>
      <button className="button" type="submit" disabled={phase !== "uploaded"}>
        {phase === "publishing" ? "Publishing…" : "Publish"}
      </button>
    </form>
  );
}
