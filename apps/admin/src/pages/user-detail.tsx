// One person: counts, last activity and engagements; set their role, disable or re-enable them, or
// delete the account (asked twice). Every change lands in the audit log.
import type { TRole } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, ConfirmAction, Fact, Loading, PageHeader } from "../components/ui.tsx";
import { UserUsage } from "./usage-costs.tsx";
import { formatCount, formatDateTime } from "../lib/format.ts";
import { userRoute } from "../router.tsx";
import { useTRPC } from "@lockstep/ui/trpc";
import { DeleteUser } from "./user-delete.tsx";

export function UserDetailPage() {
  const { id } = userRoute.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.admin.users.get.queryOptions({ id }));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.admin.users.get.queryKey({ id }) });
    void queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.pathKey() });
  };
  const setRole = useMutation(trpc.admin.users.setRole.mutationOptions({ onSuccess: refresh }));
  const setDisabled = useMutation(trpc.admin.users.setDisabled.mutationOptions({ onSuccess: refresh }));

  const back = (
    <Link to="/users" className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
      ← All users
    </Link>
  );
  if (detail.isPending) return <Loading label="Loading the user…" />;
  if (detail.isError) {
    return (
      <>
        {back}
        <div className="mt-4">
          <ErrorNotice error={detail.error} title="Cannot load this user" onRetry={() => void detail.refetch()} />
        </div>
      </>
    );
  }
  const { user, counts, lastActivity, engagements } = detail.data;
  const otherRole: TRole = user.role === "admin" ? "user" : "admin";

  return (
    <>
      {back}
      <div className="mt-3">
        <PageHeader
          title={user.email}
          description={user.name}
          actions={
            <span className="flex gap-1">
              <Badge tone={user.role === "admin" ? "info" : "neutral"}>{user.role}</Badge>
              {user.disabled ? <Badge tone="bad">disabled</Badge> : <Badge tone="ok">enabled</Badge>}
            </span>
          }
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Activity">
          <dl className="divide-y divide-slate-100 dark:divide-slate-800">
            <Fact term="Sessions">
              {formatCount(counts.sessions)}{" "}
              <Link
                to="/sessions"
                search={{ userId: user.id }}
                className="text-indigo-700 hover:underline dark:text-indigo-300"
              >
                (view)
              </Link>
            </Fact>
            <Fact term="Messages">{formatCount(counts.messages)}</Fact>
            <Fact term="Engagements">{formatCount(counts.engagements)}</Fact>
            <Fact term="Last activity">{formatDateTime(lastActivity)}</Fact>
            <Fact term="Joined">{formatDateTime(user.createdAt)}</Fact>
            <Fact term="Id">
              <span className="font-mono text-xs">{user.id}</span>
            </Fact>
            <Fact term="AI calls">
              <Link
                to="/interactions"
                search={{ userId: user.id }}
                className="text-indigo-700 hover:underline dark:text-indigo-300"
              >
                Their interactions
              </Link>
            </Fact>
          </dl>
        </Card>
        <Card title="Account">
          <div className="grid gap-4">
            {(setRole.isError || setDisabled.isError) && (
              <ErrorNotice error={setRole.error ?? setDisabled.error} title="The change was refused" />
            )}
            <div>
              <p className="text-sm">
                Role: <strong>{user.role}</strong>
              </p>
              <Button
                variant="secondary"
                size="sm"
                className="mt-2"
                busy={setRole.isPending}
                onClick={() => setRole.mutate({ id: user.id, role: otherRole })}
              >
                {otherRole === "admin" ? "Make admin" : "Remove admin role"}
              </Button>
            </div>
            <div>
              <p className="text-sm">
                {user.disabled ? "This account is disabled: the person cannot sign in." : "This account is enabled."}
              </p>
              <div className="mt-2">
                {user.disabled ? (
                  <Button
                    variant="secondary"
                    size="sm"
                    busy={setDisabled.isPending}
                    onClick={() => setDisabled.mutate({ id: user.id, disabled: false })}
                  >
                    Enable account
                  </Button>
                ) : (
                  <ConfirmAction
                    label="Disable account"
                    confirmLabel="Yes, disable"
                    consequence={`${user.email} will be signed out of every request and cannot sign in until re-enabled.`}
                    busy={setDisabled.isPending}
                    onConfirm={() => setDisabled.mutate({ id: user.id, disabled: true })}
                  />
                )}
              </div>
            </div>
            <DeleteUser id={user.id} email={user.email} />
          </div>
        </Card>
      </div>
      {/* Counts are of ended sessions, as the person's own coach page says ("Sessions ended"). */}
      <Card title="Engagements" className="mt-4">
        {engagements.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">No engagement with any character yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {engagements.map((engagement) => (
              <li key={engagement.id} className="flex flex-wrap justify-between gap-2 py-2 text-sm">
                <span className="font-medium">{engagement.characterName}</span>
                <span className="text-slate-600 dark:text-slate-400">
                  {formatCount(engagement.totalSessions)} ended sessions · {formatCount(engagement.totalMessages)}{" "}
                  messages · last {formatDateTime(engagement.lastInteractionAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <UserUsage userId={user.id} />
    </>
  );
}
