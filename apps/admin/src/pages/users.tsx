// People: search by email or name, filter by role and disabled, newest first with keyset "load more".
import { ZRoleSchema } from "@lockstep/contracts";
import { Button } from "@lockstep/ui/button";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { ErrorNotice } from "../components/error-notice.tsx";
import { Badge, Card, Empty, Loading, LoadMore, PageHeader, SelectField, TextField } from "../components/ui.tsx";
import { formatCount, formatDateTime } from "../lib/format.ts";
import { parseUserSearch, type UserSearch } from "../lib/list-search.ts";
import { usersRoute } from "../router.tsx";
import { useTRPC } from "@lockstep/ui/trpc";

export function UsersPage() {
  const search = parseUserSearch(usersRoute.useSearch());
  const navigate = useNavigate({ from: "/users" });
  const trpc = useTRPC();
  const [query, setQuery] = useState(search.query ?? "");
  useEffect(() => setQuery(search.query ?? ""), [search.query]);
  const apply = (patch: Partial<UserSearch>) => void navigate({ search: (current) => ({ ...current, ...patch }) });
  const list = useInfiniteQuery(
    trpc.admin.users.list.infiniteQueryOptions(
      { ...search, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone with an account. Open a person to see their sessions and engagements, change their role, disable or delete them."
      />
      <Card className="mb-4">
        <form
          role="search"
          aria-label="Find users"
          className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_10rem_10rem_auto]"
          onSubmit={(event) => {
            event.preventDefault();
            apply({ query: query.trim() || undefined });
          }}
        >
          <TextField
            label="Email or name"
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <SelectField
            label="Role"
            anyLabel="Any role"
            options={ZRoleSchema.options}
            value={search.role ?? ""}
            onChange={(event) => apply({ role: (event.target.value || undefined) as UserSearch["role"] })}
          />
          <SelectField
            label="Account"
            anyLabel="Enabled or disabled"
            options={[
              { value: "false", label: "Enabled" },
              { value: "true", label: "Disabled" },
            ]}
            value={search.disabled === undefined ? "" : String(search.disabled)}
            onChange={(event) => apply({ disabled: event.target.value ? event.target.value === "true" : undefined })}
          />
          <div className="flex items-end">
            <Button type="submit">Search</Button>
          </div>
        </form>
      </Card>
      <Card>
        {list.isPending ? (
          <Loading label="Loading users…" />
        ) : list.isError ? (
          <ErrorNotice error={list.error} title="Cannot list users" onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <Empty>No user matches.</Empty>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <caption className="sr-only">Users</caption>
              <thead className="text-xs text-slate-500 uppercase dark:text-slate-400">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    Person
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Role
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Sessions
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Last activity
                  </th>
                  <th scope="col" className="py-2">
                    Joined
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {rows.map((user) => (
                  <tr key={user.id} data-user-email={user.email}>
                    <td className="py-2 pr-3">
                      <Link
                        to="/users/$id"
                        params={{ id: user.id }}
                        className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                      >
                        {user.email}
                      </Link>
                      <span className="block text-xs text-slate-500 dark:text-slate-400">{user.name}</span>
                    </td>
                    <td className="py-2 pr-3">
                      <span className="flex flex-wrap gap-1">
                        <Badge tone={user.role === "admin" ? "info" : "neutral"}>{user.role}</Badge>
                        {user.disabled && <Badge tone="bad">disabled</Badge>}
                      </span>
                    </td>
                    <td className="py-2 pr-3">{formatCount(user.sessionsCount)}</td>
                    <td className="py-2 pr-3">{formatDateTime(user.lastActivity)}</td>
                    <td className="py-2">{formatDateTime(user.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadMore pages={list} />
      </Card>
    </>
  );
}
