// The screenshot steps of a session: choose or drop an image and preview it, upload it with a
// progress bar, wait while it is read, then check what was read in the verification editor.
import {
  SCREENSHOT_MIME_TYPES,
  SCREENSHOT_UPLOAD_STATUSES,
  screenshotPath,
  type TMessageDto,
  type TSessionDto,
} from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useTRPC } from "@lockstep/ui/trpc";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { checkScreenshotFile, UploadError, uploadScreenshot } from "./screenshot-upload.ts";
import { VerificationEditor } from "./verification-editor.tsx";

export interface ScreenshotFlowProps {
  session: TSessionDto;
  onSession: (session: TSessionDto) => void;
  /** After confirmation: the session is analysed; its messages (lines and suggestions) are new. */
  onAnalysed: (suggestions: TMessageDto[]) => void;
}

/**
 * Whether the page shows these steps instead of the conversation: until the read lines are
 * confirmed a screenshot session has no messages, and an error before then means uploading again.
 */
export function screenshotStepActive(session: TSessionDto, hasMessages: boolean): boolean {
  if (session.type !== "screenshot") return false;
  if (
    session.status === "verifying_ocr" ||
    session.status === "uploading" ||
    session.status === "previewing_screenshot"
  )
    return true;
  if (session.status === "analysis_in_progress") return !hasMessages;
  return (SCREENSHOT_UPLOAD_STATUSES as readonly string[]).includes(session.status) && !hasMessages;
}

export function ScreenshotFlow({ session, onSession, onAnalysed }: ScreenshotFlowProps) {
  if (session.status === "verifying_ocr")
    return <VerifyStep session={session} onSession={onSession} onAnalysed={onAnalysed} />;
  if (session.status === "analysis_in_progress" || session.status === "uploading") {
    return (
      <div className="flex flex-col items-center gap-4 py-10 text-center">
        <Spinner />
        <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
          {session.status === "uploading" ? "Uploading your screenshot…" : "Reading your screenshot…"} This takes a few
          seconds.
        </p>
        {session.hasScreenshot ? <ScreenshotImage session={session} className="max-h-72" /> : null}
      </div>
    );
  }
  return <UploadStep session={session} onSession={onSession} />;
}

function UploadStep({ session, onSession }: { session: TSessionDto; onSession: (session: TSessionDto) => void }) {
  const trpc = useTRPC();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ message: string; retryable: boolean } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  const abort = useRef<AbortController | null>(null);
  const toPreview = useMutation(trpc.session.transition.mutationOptions({ onSuccess: onSession }));

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const choose = (chosen: File | undefined) => {
    if (!chosen) return;
    const invalid = checkScreenshotFile(chosen);
    if (invalid) {
      setProblem({ message: invalid, retryable: false });
      return;
    }
    setProblem(null);
    setFile(chosen);
    // The lifecycle has a previewing step; recording it is helpful but not needed for the upload.
    if (session.status === "pending_user_input") toPreview.mutate({ id: session.id, to: "previewing_screenshot" });
  };

  const upload = async () => {
    if (!file) return;
    setProblem(null);
    setProgress(0);
    abort.current = new AbortController();
    try {
      const result = await uploadScreenshot(session.id, file, setProgress, abort.current.signal);
      onSession(result.session);
    } catch (error) {
      const failure = error instanceof UploadError ? error : new UploadError(String(error), 0, null);
      setProblem({ message: failure.message, retryable: failure.retryable });
      setProgress(null);
    }
  };

  const uploading = progress !== null;
  return (
    <div className="mx-auto flex w-full max-w-xl flex-col gap-4 py-6">
      <div>
        <h2 className="text-base font-semibold text-slate-900 dark:text-slate-100">Upload a screenshot of the chat</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          PNG, JPEG or WebP. Lockstep reads the bubbles, then you check what it read.
        </p>
      </div>
      <label
        htmlFor={inputId}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          choose(event.dataTransfer.files[0]);
        }}
        className={`flex cursor-pointer flex-col items-center gap-2 rounded-2xl border-2 border-dashed px-4 py-8 text-center text-sm has-focus-visible:outline-2 has-focus-visible:outline-indigo-600 ${
          dragging ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950" : "border-slate-300 dark:border-slate-600"
        }`}
      >
        <span className="font-medium text-indigo-700 dark:text-indigo-300">
          {file ? "Choose another image" : "Choose an image"}
        </span>
        <span className="text-slate-500 dark:text-slate-400">or drop it here</span>
        <input
          id={inputId}
          type="file"
          accept={SCREENSHOT_MIME_TYPES.join(",")}
          className="sr-only"
          disabled={uploading}
          onChange={(event) => choose(event.target.files?.[0])}
          aria-label="Screenshot file"
        />
      </label>
      {preview && file ? (
        <figure className="flex flex-col items-center gap-2">
          <img
            src={preview}
            alt={`Preview of ${file.name}`}
            className="max-h-80 rounded-xl border border-slate-200 object-contain dark:border-slate-700"
          />
          <figcaption className="text-xs text-slate-500 dark:text-slate-400">
            {file.name} · {Math.max(1, Math.round(file.size / 1024))} KB
          </figcaption>
        </figure>
      ) : null}
      {uploading ? (
        <div className="flex flex-col gap-1">
          <div
            role="progressbar"
            aria-label="Upload progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
            className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
          >
            <div
              className="h-full bg-indigo-600 transition-[width]"
              style={{ width: `${Math.round(progress * 100)}%` }}
            />
          </div>
          <p className="text-xs text-slate-600 dark:text-slate-300">Uploading… {Math.round(progress * 100)}%</p>
        </div>
      ) : null}
      {problem ? (
        <p
          role="alert"
          className="rounded-xl bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200"
        >
          {problem.message}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        {uploading ? (
          <Button variant="secondary" onClick={() => abort.current?.abort()}>
            Cancel
          </Button>
        ) : null}
        <Button onClick={() => void upload()} disabled={!file} busy={uploading}>
          {problem?.retryable ? "Retry upload" : "Upload"}
        </Button>
      </div>
    </div>
  );
}

function VerifyStep({ session, onSession, onAnalysed }: ScreenshotFlowProps) {
  const trpc = useTRPC();
  const ocr = useQuery(trpc.session.ocr.queryOptions({ id: session.id }));
  const [picked, setPicked] = useState<{ x: number; y: number; width: number; height: number } | null>(null);
  const confirm = useMutation(
    trpc.session.confirmOcr.mutationOptions({
      onSuccess: ({ session: next, suggestions }) => {
        onSession(next);
        onAnalysed(suggestions);
      },
    }),
  );
  if (ocr.isPending) {
    return (
      <p role="status" className="py-6 text-sm text-slate-600 dark:text-slate-300">
        Loading what was read…
      </p>
    );
  }
  if (ocr.isError) {
    return (
      <p role="alert" className="py-6 text-sm text-rose-700 dark:text-rose-300">
        {describeAppError(ocr.error).message}{" "}
        <button type="button" className="underline" onClick={() => void ocr.refetch()}>
          Retry
        </button>
      </p>
    );
  }
  const { imageWidth, imageHeight } = ocr.data;
  return (
    <div className="grid gap-6 py-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      {/* On a phone the image stays in view above the lines, so a picked line's bubble shows; its band
          spans the width and is opaque, so the lines scrolling under it do not show at its sides. */}
      <div className="sticky top-0 z-10 flex w-full justify-center border-b border-slate-200 bg-white pb-2 lg:static lg:border-0 lg:bg-transparent lg:pb-0 dark:border-slate-800 dark:bg-slate-950 lg:dark:bg-transparent">
        <div className="relative inline-block">
          <ScreenshotImage session={session} className="max-h-[40dvh] lg:max-h-[70dvh]" />
          {picked && imageWidth && imageHeight ? (
            <span
              aria-hidden="true"
              data-testid="picked-box"
              className="pointer-events-none absolute rounded-md border-2 border-amber-500 bg-amber-300/25"
              style={{
                left: `${(picked.x / imageWidth) * 100}%`,
                top: `${(picked.y / imageHeight) * 100}%`,
                width: `${(picked.width / imageWidth) * 100}%`,
                height: `${(picked.height / imageHeight) * 100}%`,
              }}
            />
          ) : null}
        </div>
      </div>
      <VerificationEditor
        onPick={(line) => setPicked(line?.box ?? null)}
        lines={ocr.data.lines}
        busy={confirm.isPending}
        error={confirm.isError ? describeAppError(confirm.error).message : null}
        onConfirm={(lines) => confirm.mutate({ id: session.id, lines })}
      />
    </div>
  );
}

function ScreenshotImage({ session, className = "" }: { session: TSessionDto; className?: string }) {
  // updatedAt in the URL: a re-upload is a new image, not the one the browser cached.
  return (
    <img
      src={`${screenshotPath(session.id)}?v=${session.updatedAt}`}
      alt="The uploaded screenshot"
      className={`rounded-xl border border-slate-200 object-contain dark:border-slate-700 ${className}`}
    />
  );
}

function Spinner() {
  return (
    <span
      aria-hidden="true"
      className="size-8 animate-spin rounded-full border-4 border-indigo-200 border-t-indigo-600"
    />
  );
}
