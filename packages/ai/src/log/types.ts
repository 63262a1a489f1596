// The contract of the AI interaction log (docs/decisions/0001): every model call is one
// ai_interactions row, written PENDING before the call and completed after it, never lost.
import type { TAiOperation, TDataSource } from "@lockstep/contracts";
import type { ProviderKindName, Usage } from "../provider.ts";

/** Who and what a call is for; the session is made to exist first if it does not (docs/decisions/0002). */
export interface CallContext {
  userId: string | null;
  sessionId: string | null;
  /** The client address the host determined (X-Forwarded-For only behind a trusted proxy). */
  ip: string | null;
  dataSource: TDataSource;
  requestId?: string | null;
}

export interface CallSpec {
  operation: TAiOperation;
  provider: { name: string; kind: ProviderKindName; baseUrl: string | null };
  model: string;
  /** The prompt as sent (masked before storage); its normalised sha256 becomes prompt_hash. */
  promptText: string | null;
  /**
   * The chat messages promptText was made of by `chatPromptText`, when it was. The log then masks
   * the prompt message by message, so the turns a session repeats in every call are masked once.
   */
  promptMessages?: readonly { role: string; content: string }[];
  /** The request payload as sent to the provider (masked before storage). */
  request: unknown;
  fileMetadata?: unknown;
  metadata?: Record<string, unknown>;
  context: CallContext;
}

export interface CallOutcome {
  /** The provider's response payload (masked before storage). */
  response: unknown;
  /** The texts the call produced, stored in ai_responses in order. */
  responses?: { content: string; finishReason?: string | null; metadata?: unknown }[];
  usage: Usage;
  metadata?: Record<string, unknown>;
}

/** One call in flight: its row exists (PENDING) until exactly one of succeed/fail/cancel lands. */
export interface InteractionHandle {
  readonly id: string;
  /** Marks the first streamed token (time_to_first_token_ms). */
  firstToken(): void;
  succeed(outcome: CallOutcome): Promise<void>;
  /** Classifies the error: a timeout becomes TIMEOUT, an abort CANCELLED, anything else ERROR. */
  fail(error: unknown): Promise<void>;
}

export interface InteractionLog {
  begin(spec: CallSpec): Promise<InteractionHandle>;
  /** Calls still in flight; on shutdown they are finished or marked CANCELLED. */
  inFlight(): number;
  /** Marks every call still in flight CANCELLED (used on SIGTERM after a grace period). */
  cancelInFlight(reason: string): Promise<number>;
}
