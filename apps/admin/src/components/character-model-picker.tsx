// A character's own chat model: one of the default chat provider's models, or the default itself;
// saved (and audited) as soon as it is chosen.
import type { TCharacterAdminDto } from "@lockstep/contracts";
import { describeAppError } from "@lockstep/ui/describe-app-error";
import { useTRPC } from "@lockstep/ui/trpc";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { inputClass } from "./ui.tsx";

export function CharacterModelPicker({ character }: { character: TCharacterAdminDto }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const providers = useQuery(trpc.admin.models.providers.queryOptions());
  const defaults = useQuery(trpc.admin.models.defaults.queryOptions());
  const save = useMutation(
    trpc.admin.models.setCharacterModel.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.characters.list.queryKey() }),
    }),
  );
  const chat = defaults.data?.chat ?? null;
  const provider = chat ? providers.data?.find((p) => p.id === chat.providerId) : undefined;
  const offered = provider?.models ?? [];
  // A model saved earlier that the provider no longer lists stays choosable, and says so.
  const current = character.chatModel;
  const models = current && !offered.includes(current) ? [...offered, current] : offered;
  const pending = providers.isPending || defaults.isPending;
  const value = save.isPending ? (save.variables.chatModel ?? "") : (current ?? "");

  return (
    <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
      <label htmlFor={id} className="font-medium">
        Chat model<span className="sr-only"> for {character.name}</span>
      </label>
      <select
        id={id}
        className={`${inputClass} max-w-sm`}
        value={value}
        disabled={pending || !chat || save.isPending}
        onChange={(event) => save.mutate({ id: character.id, chatModel: event.target.value || null })}
      >
        <option value="">{chat ? `Use the default (${chat.model})` : "Use the default"}</option>
        {models.map((model) => (
          <option key={model} value={model}>
            {offered.includes(model) ? model : `${model} (not listed by the provider)`}
          </option>
        ))}
      </select>
      {!pending && !chat && (
        <span className="text-xs text-slate-500 dark:text-slate-400">
          Choose a default chat provider under Models &amp; costs to give this character its own model.
        </span>
      )}
      {chat && provider && <span className="text-xs text-slate-500 dark:text-slate-400">on {provider.name}</span>}
      {save.isSuccess && (
        <span role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
          Saved
        </span>
      )}
      {save.isError && (
        <span role="alert" className="text-xs text-rose-700 dark:text-rose-400">
          {describeAppError(save.error).message}
        </span>
      )}
    </div>
  );
}
