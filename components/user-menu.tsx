import { getServerSession } from "next-auth";
import { SignOutButton } from "@/components/sign-out-button";
import { authOptions } from "@/lib/auth/options";
import { copy } from "@/lib/copy";

/** The signed-in user and a sign-out control, at the header's right end; nothing when sign-in is off. */
export async function UserMenu() {
  const options = authOptions();
  if (options === undefined) return null;
  const session = await getServerSession(options);
  const name = session?.user?.name ?? session?.user?.email;
  if (!name) return null;
  return (
    <div className="ml-auto flex items-center gap-3 text-[13px]">
      <span className="text-slate-500">{copy.auth.signedInAs(name)}</span>
      <SignOutButton />
    </div>
  );
}
