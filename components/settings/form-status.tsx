// The one-line outcome under a settings form or panel: an error is announced at once (role=alert), a success politely
// (role=status), styled as the rest of the app's forms.

export type FormStatus = { kind: "error" | "done"; text: string };

export function StatusLine({ status }: { status: FormStatus | null }) {
  if (!status) return null;
  return (
    <p className={status.kind === "error" ? "form-error" : "form-done"} role={status.kind === "error" ? "alert" : "status"}>
      {status.text}
    </p>
  );
}
