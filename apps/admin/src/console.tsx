// The signed-in console: the router, the frame and (page by page) the pages. main.tsx fetches this
// chunk only once the gate has let an admin in, so the sign-in form downloads none of it.
import type { TUserDto } from "@lockstep/contracts";
import { RouterProvider } from "@tanstack/react-router";
import { router } from "./router.tsx";
import { SignedInAdmin } from "./shell.tsx";

export default function SignedInConsole({ user }: { user: TUserDto }) {
  return (
    <SignedInAdmin.Provider value={user}>
      <RouterProvider router={router} />
    </SignedInAdmin.Provider>
  );
}
