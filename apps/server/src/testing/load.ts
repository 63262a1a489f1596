// Load for tests and benchmarks of several server processes: people who sign up, open a session and
// send messages (some asking for a reply) through one address, and a tally, read from the database,
// of what became of every send the server acknowledged.
import { randomUUID } from "node:crypto";
// The id the server stores a reply under, so the tally can tell which reply answers which send.
import { replyIdFor } from "@lockstep/api";

export { replyIdFor };
import type { Database } from "@lockstep/db";
import { Browser, freshEmail, freshIp } from "./http.ts";

export interface Sender {
  browser: Browser;
  sessionId: string;
}

export interface SendOutcome {
  /** The client-made message id (so a lost answer still names the message). */
  id: string;
  reply: boolean;
  /** The HTTP status, or 0 when the request failed without one (connection reset). */
  status: number;
  sentAt: number;
}

/** Signs a new person up and creates their session, retrying a refused request (a process going away). */
export async function newSender(baseUrl: string, label: string): Promise<Sender> {
  const browser = new Browser(baseUrl, { ip: freshIp() });
  const sessionId = randomUUID();
  const email = freshEmail(label);
  for (let attempt = 0; ; attempt++) {
    const signedUp = browser.jar.size > 0 || (await browser.signUp(email).catch(() => null))?.status === 200;
    const created = signedUp
      ? await browser.postJson("/trpc/session.create", { id: sessionId, type: "text" }).catch(() => null)
      : null;
    if (created?.status === 200) return { browser, sessionId };
    if (attempt >= 5) throw new Error(`could not set up ${label}: ${created ? await created.text() : "no answer"}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function send(sender: Sender, text: string, reply: boolean): Promise<SendOutcome> {
  const id = randomUUID();
  const sentAt = Date.now();
  const status = await sender.browser
    .postJson("/trpc/message.send", { sessionId: sender.sessionId, id, text, reply })
    .then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    })
    .catch(() => 0);
  return { id, reply, status, sentAt };
}

export interface Tally {
  attempted: number;
  acknowledged: number;
  /** Sends the client got an error for (HTTP error or no answer). */
  refused: number;
  /** Of those, sends refused because the session's reply was still on its way (one reply at a time: 409). */
  waitingForReply: number;
  /** Acknowledged sends found in the database. */
  stored: number;
  repliesAccepted: number;
  /** Accepted replies that exist as AI messages. */
  produced: number;
  /** Accepted replies with no AI message, a final non-success log row and no PENDING row. */
  visiblyFailed: number;
  /** Accepted replies that are neither produced nor visibly failed (lost). */
  neither: number;
  /** AI messages in these sessions that answer no send of ours (should be 0). */
  strayReplies: number;
  /** ai_interactions rows still PENDING, across the whole database. */
  pending: number;
  /** The reply log rows of these sessions by status (an interrupted attempt leaves a CANCELLED or ABORTED row). */
  logRows: Record<string, number>;
}

export async function tally(pool: Database["pool"], outcomes: SendOutcome[], sessionIds: string[]): Promise<Tally> {
  const acknowledged = outcomes.filter((outcome) => outcome.status === 200);
  const waitingForReply = outcomes.filter((outcome) => outcome.status === 409).length;
  const ids = acknowledged.map((outcome) => outcome.id);
  const stored = await pool.query<{ id: string }>("SELECT id::text FROM messages WHERE id::text = ANY($1)", [ids]);
  const storedIds = new Set(stored.rows.map((row) => row.id));
  const aiMessages = await pool.query<{ id: string }>(
    "SELECT id::text FROM messages WHERE author = 'AI' AND session_id::text = ANY($1)",
    [sessionIds],
  );
  const aiIds = new Set(aiMessages.rows.map((row) => row.id));
  const rows = await pool.query<{ reply_id: string; status: string }>(
    `SELECT metadata->>'messageId' AS reply_id, status::text FROM ai_interactions
      WHERE operation = 'REPLY' AND session_id::text = ANY($1)`,
    [sessionIds],
  );
  const statuses = new Map<string, string[]>();
  const logRows: Record<string, number> = {};
  for (const row of rows.rows) logRows[row.status] = (logRows[row.status] ?? 0) + 1;
  for (const row of rows.rows) statuses.set(row.reply_id, [...(statuses.get(row.reply_id) ?? []), row.status]);
  const pending = await pool.query<{ count: string }>("SELECT count(*) FROM ai_interactions WHERE status = 'PENDING'");

  const accepted = acknowledged.filter((outcome) => outcome.reply);
  // A send whose answer was lost may still have been stored and answered: not a stray.
  const expectedReplyIds = new Set(outcomes.filter((o) => o.reply).map((outcome) => replyIdFor(outcome.id)));
  let produced = 0;
  let visiblyFailed = 0;
  for (const outcome of accepted) {
    const replyId = replyIdFor(outcome.id);
    const logged = statuses.get(replyId) ?? [];
    if (aiIds.has(replyId)) produced++;
    else if (logged.some((status) => status !== "SUCCESS") && !logged.includes("PENDING")) visiblyFailed++;
  }
  return {
    attempted: outcomes.length,
    acknowledged: acknowledged.length,
    refused: outcomes.length - acknowledged.length,
    waitingForReply,
    stored: ids.filter((id) => storedIds.has(id)).length,
    repliesAccepted: accepted.length,
    produced,
    visiblyFailed,
    neither: accepted.length - produced - visiblyFailed,
    strayReplies: [...aiIds].filter((id) => !expectedReplyIds.has(id)).length,
    pending: Number(pending.rows[0]?.count ?? 0),
    logRows,
  };
}
