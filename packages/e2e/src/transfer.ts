// What a page's scripts cost on the wire: every JS response Chromium received, with the bytes that
// actually crossed the network (compressed body and headers; zero when served from the cache) and its
// Content-Encoding, read from the DevTools protocol rather than estimated from the build.
import type { Page } from "playwright-core";

export interface ScriptTransfer {
  url: string;
  status: number;
  /** The response's Content-Encoding ("br", "gzip"), undefined when sent as is. */
  contentEncoding: string | undefined;
  /** Bytes received from the network for this response; 0 when the browser's cache answered. */
  transferredBytes: number;
  fromCache: boolean;
}

export interface ScriptTransferRecorder {
  /** The scripts whose loading finished since the recorder started (or was last cleared). */
  scripts(): ScriptTransfer[];
  /** The sum of their transferred bytes. */
  totalBytes(): number;
  clear(): void;
  stop(): Promise<void>;
}

interface PendingScript {
  url: string;
  status: number;
  contentEncoding: string | undefined;
  fromCache: boolean;
}

function isScript(type: string | undefined, mimeType: string, url: string): boolean {
  return type === "Script" || /javascript/i.test(mimeType) || /\.m?js(\?|$)/.test(new URL(url).pathname);
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

/** Starts recording the page's script responses; navigate afterwards, then read the totals. */
export async function recordScriptTransfers(page: Page): Promise<ScriptTransferRecorder> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const pending = new Map<string, PendingScript>();
  const cachedIds = new Set<string>();
  let finished: ScriptTransfer[] = [];

  cdp.on("Network.requestServedFromCache", ({ requestId }) => cachedIds.add(requestId));
  cdp.on("Network.responseReceived", ({ requestId, type, response }) => {
    if (!isScript(type, response.mimeType, response.url)) return;
    pending.set(requestId, {
      url: response.url,
      status: response.status,
      contentEncoding: headerOf(response.headers, "content-encoding"),
      fromCache: Boolean(response.fromDiskCache || response.fromPrefetchCache || response.fromServiceWorker),
    });
  });
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
    const script = pending.get(requestId);
    if (!script) return;
    pending.delete(requestId);
    finished.push({
      ...script,
      fromCache: script.fromCache || cachedIds.has(requestId),
      transferredBytes: encodedDataLength,
    });
  });

  return {
    scripts: () => [...finished],
    totalBytes: () => finished.reduce((sum, script) => sum + script.transferredBytes, 0),
    clear: () => {
      finished = [];
    },
    stop: () => cdp.detach(),
  };
}

export interface PageScripts {
  scripts: ScriptTransfer[];
  /** The sum of their transferred bytes. */
  totalBytes: number;
}

/**
 * Opens url in the page, waits until `ready` holds and the network has gone quiet (so chunks loaded
 * after the first paint count too), and returns what the page's scripts cost. For a repeat visit pass
 * a new page of the same context: it shares the first one's cache.
 */
export async function measurePageScripts(
  page: Page,
  url: string,
  ready: (page: Page) => Promise<unknown>,
): Promise<PageScripts> {
  const recorder = await recordScriptTransfers(page);
  try {
    await page.goto(url);
    await ready(page);
    await page.waitForLoadState("networkidle");
    return { scripts: recorder.scripts(), totalBytes: recorder.totalBytes() };
  } finally {
    await recorder.stop();
  }
}
