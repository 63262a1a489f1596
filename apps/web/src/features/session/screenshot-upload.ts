// Sends a screenshot to POST /api/sessions/:id/screenshot with XMLHttpRequest (fetch cannot report
// upload progress), and reads the answer or the error body (the tRPC error shape) into words.
import {
  SCREENSHOT_FIELD,
  SCREENSHOT_MAX_BYTES,
  SCREENSHOT_MIME_TYPES,
  screenshotPath,
  type TAppErrorCode,
  type TSessionDto,
  ZAppErrorBodySchema,
  ZScreenshotUploadResultSchema,
} from "@lockstep/contracts";
import { describeAppError } from "@lockstep/ui/describe-app-error";

export class UploadError extends Error {
  override readonly name = "UploadError";
  constructor(
    message: string,
    /** 0 when no answer came back. */
    readonly status: number,
    readonly appCode: TAppErrorCode | null,
    /** Worth trying again with the same file: it never arrived, or the server failed in passing. */
    readonly retryable = status === 0 || status >= 500,
  ) {
    super(message);
  }
}

/** Checks the file before it is sent, so a wrong type or size is said at once (the server checks again). */
export function checkScreenshotFile(file: File): string | null {
  if (!(SCREENSHOT_MIME_TYPES as readonly string[]).includes(file.type)) {
    return `“${file.name}” is not a PNG, JPEG or WebP image. Choose a screenshot.`;
  }
  if (file.size > SCREENSHOT_MAX_BYTES) {
    return `“${file.name}” is larger than ${Math.round(SCREENSHOT_MAX_BYTES / (1024 * 1024))} MB. Choose a smaller screenshot.`;
  }
  if (file.size === 0) return `“${file.name}” is empty.`;
  return null;
}

export function uploadScreenshot(
  sessionId: string,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<{ session: TSessionDto }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", screenshotPath(sessionId));
    request.responseType = "text";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // Not JSON (a proxy's page): fall through to the generic message.
      }
      if (request.status >= 200 && request.status < 300) {
        const parsed = ZScreenshotUploadResultSchema.safeParse(body);
        if (parsed.success) {
          onProgress(1);
          resolve(parsed.data);
          return;
        }
      }
      const error = ZAppErrorBodySchema.safeParse(body);
      if (!error.success) {
        reject(new UploadError(`The upload failed (HTTP ${request.status}).`, request.status, null));
        return;
      }
      const described = describeAppError(error.data);
      reject(new UploadError(described.message, request.status, described.appCode, described.retryable));
    };
    request.onerror = () =>
      reject(new UploadError("The upload did not reach Lockstep. Check your connection and try again.", 0, null));
    request.onabort = () => reject(new UploadError("The upload was cancelled.", 0, null));
    signal?.addEventListener("abort", () => request.abort(), { once: true });
    const form = new FormData();
    form.append(SCREENSHOT_FIELD, file, file.name);
    request.send(form);
  });
}
