// The one resilience layer around a provider: timeouts, retries with jittered backoff and a circuit breaker, built from cockatiel.
import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  retry,
  TaskCancelledError,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from "cockatiel";
import {
  ProviderError,
  type AiProvider,
  type ChatRequest,
  type ChatStreamEvent,
  type EmbeddingResult,
  type StructuredRequest,
  type StructuredResult,
} from "../provider.ts";
import { cancelledError, retryAfterMs } from "./errors.ts";

/** cockatiel 3.2.1's own isTaskCancelledError tests the wrong marker property, so check the class. */
const isTaskCancelledError = (error: unknown): error is TaskCancelledError => error instanceof TaskCancelledError;

export interface ResiliencePolicy {
  /** A stream that has not produced its first event by then is abandoned (and not retried). */
  firstTokenTimeoutMs: number;
  /** The whole call, retries and backoff included; for a stream, until its last event. */
  totalTimeoutMs: number;
  /** Attempts in all, the first one included (1 = no retries). */
  maxAttempts: number;
  /** First backoff delay; later ones grow exponentially with decorrelated jitter. */
  baseDelayMs: number;
  /** Cap on one backoff delay, and on how long a Retry-After header may make us wait. */
  maxDelayMs: number;
  /** Consecutive failed attempts (timeouts, 429, 5xx, lost connections) that open the breaker. */
  breakerThreshold: number;
  /** How long an open breaker fails fast before it lets one trial call through. */
  halfOpenAfterMs: number;
}

export const DEFAULT_RESILIENCE_POLICY: Readonly<ResiliencePolicy> = Object.freeze({
  firstTokenTimeoutMs: 15_000,
  totalTimeoutMs: 60_000,
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 30_000,
});

export type CircuitStateName = "closed" | "open" | "half_open" | "isolated";

/** A provider behind the resilience layer; the breaker state is exposed for health checks. */
export interface ResilientProvider extends AiProvider {
  readonly circuitState: CircuitStateName;
  readonly policy: Readonly<ResiliencePolicy>;
}

function validated(policy: Partial<ResiliencePolicy>): ResiliencePolicy {
  const merged = { ...DEFAULT_RESILIENCE_POLICY, ...policy };
  for (const [key, value] of Object.entries(merged)) {
    const min = key === "maxAttempts" || key === "breakerThreshold" || key.endsWith("TimeoutMs") ? 1 : 0;
    if (!Number.isInteger(value) || value < min)
      throw new RangeError(`resilience policy: ${key} must be an integer >= ${min}, got ${String(value)}`);
  }
  return merged;
}

/** Failures that say the endpoint is unwell (as opposed to this one request being wrong or cancelled). */
function isOutage(error: unknown): boolean {
  if (!(error instanceof ProviderError)) return false;
  return (
    error.code === "timeout" ||
    error.code === "rate_limited" ||
    error.code === "connection_error" ||
    (error.code === "upstream_error" && error.retryable)
  );
}

/** Exponential jittered backoff that still waits at least as long as the endpoint's Retry-After, within the cap. */
function honouringRetryAfter(
  inner: IBackoffFactory<unknown>,
  maxDelayMs: number,
): IBackoffFactory<IRetryBackoffContext<unknown>> {
  return {
    next(context) {
      const step = inner.next(context);
      const hint = "error" in context.result ? retryAfterMs(context.result.error) : null;
      return {
        duration: Math.max(step.duration, Math.min(hint ?? 0, maxDelayMs)),
        next: honouringRetryAfter(step, maxDelayMs).next,
      };
    },
  };
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half_open",
  [CircuitState.Isolated]: "isolated",
};

/**
 * A rendezvous between the attempt that reads a stream and the consumer iterating it: the attempt
 * hands over one event at a time and waits until it is taken, so nothing is read far ahead and we
 * always know whether the consumer has seen a token (after which a retry would duplicate text).
 */
class Handoff<T> {
  private queue: {
    result: IteratorResult<T> | { error: unknown };
    taken: () => void;
    refused: (e: unknown) => void;
  }[] = [];
  private waiter: ((item: Handoff<T>["queue"][number]) => void) | null = null;
  private closedWith: unknown = undefined;
  private closed = false;

  private push(result: IteratorResult<T> | { error: unknown }): Promise<void> {
    if (this.closed) return Promise.reject(this.closedWith);
    return new Promise<void>((taken, refused) => {
      const item = { result, taken, refused };
      if (this.waiter) {
        const waiter = this.waiter;
        this.waiter = null;
        waiter(item);
      } else this.queue.push(item);
    });
  }

  put(value: T): Promise<void> {
    return this.push({ done: false, value });
  }

  end(): void {
    void this.push({ done: true, value: undefined }).catch(() => undefined);
  }

  fail(error: unknown): void {
    void this.push({ error }).catch(() => undefined);
  }

  async take(): Promise<IteratorResult<T>> {
    const item =
      this.queue.shift() ?? (await new Promise<Handoff<T>["queue"][number]>((resolve) => (this.waiter = resolve)));
    item.taken();
    if ("error" in item.result) throw item.result.error;
    return item.result;
  }

  /** The consumer has gone: the producer's pending and future hand-overs fail with `reason`. */
  close(reason: unknown): void {
    this.closed = true;
    this.closedWith = reason;
    for (const item of this.queue.splice(0)) item.refused(reason);
  }
}

/**
 * Wraps a provider so every call is bounded in time, retried when the failure is transient, and
 * short-circuited while the endpoint is down. Use one wrapper per endpoint: the breaker lives in it.
 * A stream's attempt holds the breaker until the stream ends, so while the breaker is half-open the
 * trial is one whole stream and other calls wait for its outcome (bounded by the total timeout).
 */
export function withResilience(
  provider: AiProvider,
  policyOverrides: Partial<ResiliencePolicy> = {},
): ResilientProvider {
  const policy = validated(policyOverrides);
  const breaker: CircuitBreakerPolicy = circuitBreaker(handleWhen(isOutage), {
    halfOpenAfter: policy.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(policy.breakerThreshold),
  });
  const totalTimeout = timeout(policy.totalTimeoutMs, TimeoutStrategy.Aggressive);
  // abortOnReturn off: the first event arriving must not cancel the rest of the stream.
  const firstTokenTimeout = timeout(policy.firstTokenTimeoutMs, {
    strategy: TimeoutStrategy.Aggressive,
    abortOnReturn: false,
  });

  function retryPolicy(mayRetry: () => boolean = () => true) {
    return retry(
      handleWhen((error) => error instanceof ProviderError && error.retryable && mayRetry()),
      {
        // cockatiel counts retries, the policy counts attempts.
        maxAttempts: policy.maxAttempts - 1,
        backoff: honouringRetryAfter(
          new ExponentialBackoff({ initialDelay: policy.baseDelayMs, maxDelay: policy.maxDelayMs }),
          policy.maxDelayMs,
        ),
      },
    );
  }

  const totalTimeoutMessage = `${provider.name} did not finish within ${policy.totalTimeoutMs} ms`;

  /**
   * What an attempt's failure means, decided where the attempt ran: only there do we know whether
   * its signal fired because the caller left (cancelled), because the total time ran out, or
   * because the first token was late (both timeouts, which the breaker must count).
   */
  function classifyAttemptError(
    error: unknown,
    attemptSignal: AbortSignal,
    leftSignal: AbortSignal | undefined,
    firstTokenExpired = false,
  ): ProviderError {
    if (leftSignal?.aborted) return cancelledError(error);
    if (attemptSignal.aborted) {
      return error instanceof ProviderError && error.code === "timeout"
        ? error
        : new ProviderError("timeout", totalTimeoutMessage, false, { cause: error });
    }
    if (firstTokenExpired || isTaskCancelledError(error)) {
      return new ProviderError(
        "timeout",
        `${provider.name} sent nothing within ${policy.firstTokenTimeoutMs} ms`,
        false,
        { cause: error },
      );
    }
    if (error instanceof ProviderError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError("upstream_error", `${provider.name} failed: ${message}`, false, { cause: error });
  }

  /** What the caller finally sees. */
  function classifyCallError(error: unknown, callerSignal: AbortSignal | undefined): ProviderError {
    if (callerSignal?.aborted)
      return error instanceof ProviderError && error.code === "cancelled" ? error : cancelledError(error);
    if (isBrokenCircuitError(error)) {
      return new ProviderError(
        "circuit_open",
        `${provider.name} is failing; calls are paused for up to ${policy.halfOpenAfterMs} ms`,
        false,
        { cause: error },
      );
    }
    if (isTaskCancelledError(error)) return new ProviderError("timeout", totalTimeoutMessage, false, { cause: error });
    if (error instanceof ProviderError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError("upstream_error", `${provider.name} failed: ${message}`, false, { cause: error });
  }

  async function call<T>(callerSignal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (callerSignal?.aborted) throw cancelledError();
    try {
      return await wrap(totalTimeout, retryPolicy(), breaker).execute(async ({ signal }) => {
        if (signal.aborted) throw classifyAttemptError(signal.reason, signal, callerSignal);
        try {
          return await run(signal);
        } catch (error) {
          throw classifyAttemptError(error, signal, callerSignal);
        }
      }, callerSignal);
    } catch (error) {
      throw classifyCallError(error, callerSignal);
    }
  }

  async function* streamChat(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
    const callerSignal = request.signal;
    if (callerSignal?.aborted) throw cancelledError();
    const consumerGone = new AbortController();
    const outerSignal = callerSignal ? AbortSignal.any([callerSignal, consumerGone.signal]) : consumerGone.signal;
    const handoff = new Handoff<ChatStreamEvent>();
    // Once the consumer holds a token, a retry would send it the same words twice.
    let delivered = false;

    const attempt = async (signal: AbortSignal): Promise<void> => {
      const attemptAbort = new AbortController();
      const attemptSignal = AbortSignal.any([signal, attemptAbort.signal]);
      const iterator = provider.streamChat({ ...request, signal: attemptSignal })[Symbol.asyncIterator]();
      let finished = false;
      let firstTokenExpired = false;
      try {
        if (signal.aborted) throw signal.reason;
        let next = await firstTokenTimeout.execute(({ signal: firstTokenSignal }) => {
          firstTokenSignal.addEventListener(
            "abort",
            () => {
              // This signal also fires when the whole call ends; only its own timer makes it a first-token timeout.
              if (!signal.aborted) firstTokenExpired = true;
              attemptAbort.abort();
            },
            { once: true },
          );
          return iterator.next();
        }, signal);
        while (!next.done) {
          delivered = true;
          await handoff.put(next.value);
          next = await iterator.next();
        }
        finished = true;
      } catch (error) {
        throw classifyAttemptError(error, signal, outerSignal, firstTokenExpired);
      } finally {
        if (!finished) {
          attemptAbort.abort();
          // Not awaited: a provider stuck in a request it was told to abort must not hold up the caller.
          void iterator.return?.()?.catch(() => undefined);
        }
      }
    };

    const run = wrap(
      totalTimeout,
      retryPolicy(() => !delivered),
      breaker,
    )
      .execute(({ signal }) => attempt(signal), outerSignal)
      .then(
        () => handoff.end(),
        (error: unknown) => handoff.fail(classifyCallError(error, callerSignal)),
      );

    try {
      for (;;) {
        const next = await handoff.take();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      consumerGone.abort();
      handoff.close(cancelledError());
      await run;
    }
  }

  return {
    name: provider.name,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    chatModel: provider.chatModel,
    embeddingModel: provider.embeddingModel,
    policy,
    get circuitState() {
      return STATE_NAMES[breaker.state];
    },
    streamChat,
    completeStructured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
      return call(request.signal, (signal) => provider.completeStructured({ ...request, signal }));
    },
    embed(texts: string[], options?: { signal?: AbortSignal }): Promise<EmbeddingResult> {
      return call(options?.signal, (signal) => provider.embed(texts, { signal }));
    },
  };
}
