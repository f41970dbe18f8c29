"use client";

// The profile picture (PUT/DELETE /api/me/avatar). The server crops and converts; the preview here is the file as
// chosen, and the stored 256×256 picture replaces it once uploaded.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { StatusLine, type FormStatus } from "./form-status";
import { callApi } from "./request";

const MAX_BYTES = 5 * 1024 * 1024;

export function AvatarForm({ handle, initialAvatar }: { handle: string; initialAvatar: string | null }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [avatar, setAvatar] = useState(initialAvatar);
  const [chosen, setChosen] = useState<{ file: File; preview: string | null } | null>(null);
  const [status, setStatus] = useState<FormStatus | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => () => {
    if (chosen?.preview) URL.revokeObjectURL(chosen.preview);
  }, [chosen]);

  function onChoose(event: ChangeEvent<HTMLInputElement>) {
    setStatus(null);
    const file = event.target.files?.[0];
    if (!file) return setChosen(null);
    if (file.size > MAX_BYTES) {
      event.target.value = "";
      setChosen(null);
      return setStatus({ kind: "error", text: "That file is larger than 5 MB. Choose a smaller picture." });
    }
    // Only an image the browser recognises gets a preview; the server decides about anything else on upload.
    setChosen({ file, preview: file.type.startsWith("image/") ? URL.createObjectURL(file) : null });
  }

  async function upload() {
    if (!chosen) return;
    setPending(true);
    const form = new FormData();
    form.set("avatar", chosen.file);
    const result = await callApi<{ avatar: string }>("/api/me/avatar", { method: "PUT", form });
    setPending(false);
    if (!result.ok) return setStatus({ kind: "error", text: result.message });
    setAvatar(result.data.avatar);
    setChosen(null);
    if (input.current) input.current.value = "";
    setStatus({ kind: "done", text: "Picture updated." });
    router.refresh();
  }

  async function remove() {
    setPending(true);
    const result = await callApi<{ avatar: null }>("/api/me/avatar", { method: "DELETE" });
    setPending(false);
    if (!result.ok) return setStatus({ kind: "error", text: result.message });
    setAvatar(null);
    setStatus({ kind: "done", text: "Picture removed." });
    router.refresh();
  }

  const shown = chosen?.preview ?? avatar;
  return (
    <div className="avatar-form">
      {shown ? (
        // A failed preview (a file the browser cannot show) must not print its alt text across the form.
        <img className="avatar" src={shown} alt="" />
      ) : (
        <div className="avatar" aria-hidden>
          {handle[0]?.toUpperCase()}
        </div>
      )}
      <div>
        <div className="field">
          <label htmlFor="settings-avatar">Choose a picture</label>
          <input id="settings-avatar" ref={input} type="file" accept="image/*" onChange={onChoose} disabled={pending} />
          <span className="hint">JPEG, PNG, WebP, GIF, AVIF, TIFF or SVG, up to 5 MB. It is cropped to a square from the centre.</span>
        </div>
        <StatusLine status={status} />
        <div className="row">
          <button className="button" type="button" onClick={upload} disabled={!chosen || pending}>
            {pending && chosen ? "Uploading…" : "Upload picture"}
          </button>
          {avatar && !chosen && (
            <button className="button secondary" type="button" onClick={remove} disabled={pending}>
              Remove picture
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
