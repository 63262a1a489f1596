// After a successful sign-in or sign-up: forget the old person's data and go where they were headed.
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate, useRouter } from "@tanstack/react-router";
import { forgetDeletedAccount } from "./farewell.ts";

export function useAfterSignIn() {
  const queryClient = useQueryClient();
  const router = useRouter();
  const navigate = useNavigate();
  return async (redirect: string | undefined) => {
    // Nothing cached for whoever used this tab before may show to the person now signed in.
    queryClient.clear();
    forgetDeletedAccount();
    await router.invalidate();
    await navigate({ to: redirect ?? "/", replace: true });
  };
}
