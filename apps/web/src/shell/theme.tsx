// The theme switch (system, light, dark): the choice is kept in localStorage and applied to <html>
// here as it changes; boot/theme.js applies it before the first paint of the next visit.
import { useEffect, useId, useSyncExternalStore } from "react";

export type ThemeChoice = "system" | "light" | "dark";
export const THEME_STORAGE_KEY = "lockstep-theme";
const CHOICES: readonly ThemeChoice[] = ["system", "light", "dark"];
const LABELS: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };

export function readThemeChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return CHOICES.includes(stored as ThemeChoice) ? (stored as ThemeChoice) : "system";
  } catch {
    return "system";
  }
}

const systemDark = () => window.matchMedia("(prefers-color-scheme: dark)");

export function applyTheme(choice: ThemeChoice): void {
  const dark = choice === "dark" || (choice === "system" && systemDark().matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
}

// Every switch on screen (header, profile) shows the same choice.
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const choice = useSyncExternalStore(subscribe, readThemeChoice, () => "system" as const);
  useEffect(() => {
    applyTheme(choice);
    if (choice !== "system") return;
    // Following the system means following it when it changes too (an OS switching at sunset).
    const media = systemDark();
    const onChange = () => applyTheme("system");
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, [choice]);
  const choose = (next: ThemeChoice) => {
    try {
      if (next === "system") localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Not kept across visits, but still applied now.
    }
    applyTheme(next);
    for (const listener of listeners) listener();
  };
  return [choice, choose];
}

export function ThemeSwitch({ className = "", showLabel = false }: { className?: string; showLabel?: boolean }) {
  const [choice, choose] = useTheme();
  const id = useId();
  return (
    <div className={`flex items-center gap-2 ${className}`}>
      <label htmlFor={id} className={showLabel ? "text-sm font-medium" : "sr-only"}>
        Theme
      </label>
      <select
        id={id}
        value={choice}
        onChange={(event) => choose(event.target.value as ThemeChoice)}
        className="rounded-lg border border-slate-300 bg-white py-1.5 pr-7 pl-2 text-sm text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
      >
        {CHOICES.map((value) => (
          <option key={value} value={value}>
            {showLabel ? LABELS[value] : `Theme: ${LABELS[value].toLowerCase()}`}
          </option>
        ))}
      </select>
    </div>
  );
}
