// One logged model call: status, error, timings and tokens, who and which session it was for, the
// prompt, and the request and response JSON with the values the log masked shown as masked.
import { Link } from "@tanstack/react-router";
import { useQuery } from "@tanstack/react-query";
import { highlight, JsonViewer } from "../components/json-viewer.tsx";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Card, Fact, Loading, PageHeader, StatusBadge } from "../components/ui.tsx";
import { formatCount, formatDateTime, formatMs } from "../lib/format.ts";
import { interactionRoute } from "../router.tsx";
import { useTRPC } from "@lockstep/ui/trpc";

export function InteractionDetailPage() {
  const { id } = interactionRoute.useParams();
  const trpc = useTRPC();
  const detail = useQuery(trpc.admin.interactions.get.queryOptions({ id }));

  const back = (
    <Link to="/interactions" className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
      ← Back to the log
    </Link>
  );
  if (detail.isPending) return <Loading label="Loading the interaction…" />;
  if (detail.isError) {
    return (
      <>
        {back}
        <div className="mt-4">
          <ErrorNotice
            error={detail.error}
            title="Cannot load this interaction"
            onRetry={() => void detail.refetch()}
          />
        </div>
      </>
    );
  }
  const call = detail.data;
  return (
    <>
      {back}
      <div className="mt-3">
        <PageHeader
          title={`${call.operation} call to ${call.modelName}`}
          description={
            <>
              <span className="font-mono text-xs">{call.id}</span> · {formatDateTime(call.createdAt)}
            </>
          }
          actions={<StatusBadge status={call.status} />}
        />
      </div>
      {(call.errorCode || call.errorMessage) && (
        <div
          role="alert"
          className="mb-4 rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-100"
        >
          <p className="font-semibold">Error {call.errorCode ?? ""}</p>
          <p className="mt-1 break-words">{call.errorMessage ?? "No message was recorded."}</p>
        </div>
      )}
      <div className="grid gap-4 xl:grid-cols-2">
        <Card title="Call">
          <dl className="divide-y divide-slate-100 dark:divide-slate-800">
            <Fact term="Status">{call.status}</Fact>
            <Fact term="Provider">
              {call.providerName} ({call.providerKind})
            </Fact>
            <Fact term="Model">{call.modelName}</Fact>
            <Fact term="Operation">{call.operation}</Fact>
            <Fact term="Source">{call.dataSource}</Fact>
            <Fact term="Latency">{formatMs(call.latencyMs)}</Fact>
            <Fact term="First token">{formatMs(call.timeToFirstTokenMs)}</Fact>
            <Fact term="Tokens in / out">
              {formatCount(call.inputTokens)} / {formatCount(call.outputTokens)}
              {call.cachedInputTokens
                ? ` (${formatCount(call.cachedInputTokens)} of the input from the prompt cache)`
                : null}
            </Fact>
            <Fact term="Prompt hash">
              {call.promptHash ? (
                <Link
                  to="/interactions"
                  search={{ view: "groups" }}
                  className="font-mono text-xs break-all text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  {call.promptHash}
                </Link>
              ) : (
                "–"
              )}
            </Fact>
          </dl>
        </Card>
        <Card title="Who and where">
          <dl className="divide-y divide-slate-100 dark:divide-slate-800">
            <Fact term="User">
              {call.userId ? (
                <Link
                  to="/users/$id"
                  params={{ id: call.userId }}
                  className="font-mono text-xs break-all text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  {call.userId}
                </Link>
              ) : (
                "none (a system call)"
              )}
            </Fact>
            <Fact term="Session">
              {call.sessionId ? (
                <Link
                  to="/sessions/$id"
                  params={{ id: call.sessionId }}
                  className="font-mono text-xs break-all text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  {call.sessionId}
                </Link>
              ) : (
                "none"
              )}
            </Fact>
            <Fact term="Client IP">{call.ipAddress ?? "–"}</Fact>
            <Fact term="Created">{formatDateTime(call.createdAt)}</Fact>
            <Fact term="Updated">{formatDateTime(call.updatedAt)}</Fact>
            {call.deletedAt !== null && <Fact term="Deleted">{formatDateTime(call.deletedAt)}</Fact>}
          </dl>
        </Card>
      </div>
      <div className="mt-4 grid gap-4">
        <Card title="Prompt">
          <p
            className="max-h-80 overflow-auto font-mono text-xs break-words whitespace-pre-wrap"
            tabIndex={0}
            aria-label="Prompt text"
          >
            {call.promptText ? highlight(call.promptText, "") : "No prompt was stored."}
          </p>
        </Card>
        <Card title="Request">
          <JsonViewer value={call.request} label="request JSON" />
        </Card>
        <Card title="Response">
          {call.response === null ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">No response was stored.</p>
          ) : (
            <JsonViewer value={call.response} label="response JSON" />
          )}
        </Card>
        <Card title={`Responses (${call.responses.length})`}>
          {call.responses.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">This call produced no text.</p>
          ) : (
            <ol className="grid gap-3">
              {call.responses.map((response) => (
                <li key={response.id} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
                  <p className="text-xs text-slate-500 dark:text-slate-400">
                    #{response.position} · finish: {response.finishReason ?? "–"} · {formatDateTime(response.createdAt)}
                  </p>
                  <p className="mt-1 text-sm break-words whitespace-pre-wrap">{highlight(response.content, "")}</p>
                </li>
              ))}
            </ol>
          )}
        </Card>
        {call.metadata !== null && (
          <Card title="Metadata">
            <JsonViewer value={call.metadata} label="metadata JSON" />
          </Card>
        )}
        {call.fileMetadata !== null && (
          <Card title="File">
            <JsonViewer value={call.fileMetadata} label="file metadata JSON" />
          </Card>
        )}
      </div>
    </>
  );
}
