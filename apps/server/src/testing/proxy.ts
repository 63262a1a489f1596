// A small round-robin reverse proxy for tests and benchmarks of several server processes, doing what
// a production proxy must: bodies streamed both ways (SSE unbuffered), Host kept, the client added to
// X-Forwarded-For, and a request that could not reach a process (connection refused) tried on the next.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RoundRobinProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Where requests go; change it at any time (a restarted process has a new address). */
  upstreams: string[];
  /** Requests answered 502 because no process could be reached. */
  readonly refused: number;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(upstreams: string[] = []): Promise<RoundRobinProxy> {
  let next = 0;
  let refused = 0;
  const sockets = new Set<Socket>();
  const state = { upstreams };

  function forward(req: http.IncomingMessage, res: http.ServerResponse, tries: number): void {
    const targets = state.upstreams;
    const target = targets[next++ % Math.max(targets.length, 1)];
    if (!target) {
      refused++;
      res.writeHead(502).end("no upstream");
      return;
    }
    const url = new URL(target);
    const forwardedFor = [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ");
    const upstream = http.request({
      host: url.hostname,
      port: url.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, "x-forwarded-for": forwardedFor },
      // A fresh connection each time, so "connected" is known before the body is sent (and a retry is safe).
      agent: false,
    });
    let connected = false;
    upstream.on("socket", (socket) =>
      socket.once("connect", () => {
        connected = true;
        req.pipe(upstream);
      }),
    );
    upstream.on("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      // Event streams must reach the client as they are written, not when a buffer fills.
      res.flushHeaders();
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    upstream.on("error", () => {
      if (!connected && tries < targets.length) {
        forward(req, res, tries + 1);
        return;
      }
      if (res.headersSent) res.destroy();
      else {
        refused++;
        res.writeHead(502).end("upstream unreachable");
      }
    });
    // The client went away (a closed event stream): stop the upstream request too.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
  }

  const server = http.createServer((req, res) => forward(req, res, 1));
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get upstreams() {
      return state.upstreams;
    },
    set upstreams(value: string[]) {
      state.upstreams = value;
    },
    get refused() {
      return refused;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
