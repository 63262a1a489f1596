// A character's avatar: an emoji, an https picture, or the first letter of the name; always decorative beside the name.
export function CharacterAvatar({
  avatar,
  name,
  className = "size-12 text-2xl",
}: {
  avatar: string | null;
  name: string;
  className?: string;
}) {
  const base = `inline-flex shrink-0 items-center justify-center overflow-hidden rounded-2xl bg-indigo-50 dark:bg-indigo-950 ${className}`;
  if (avatar?.startsWith("https://")) return <img src={avatar} alt="" className={`${base} object-cover`} />;
  return (
    <span aria-hidden="true" className={base}>
      {avatar ?? name.slice(0, 1).toUpperCase()}
    </span>
  );
}
