// Where keyboard focus goes on the session page: to the composer once the session opens (or to its
// heading when there is nothing to write in yet), and to the first new suggestion once they arrive,
// instead of falling to the page body when the element that had it goes away.
import { type RefObject, useCallback, useEffect, useRef } from "react";

/** Someone is typing somewhere else (renaming a session in the sidebar, searching): moving focus would
 * end that edit under their fingers. */
function typingElsewhere(target: HTMLElement): boolean {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || active === target) return false;
  return active.isContentEditable || active.matches("input, textarea, select");
}

/** Tries `find` on each frame for about a second: what it looks for renders after the data lands. */
function focusWhenShown(find: () => HTMLElement | null, frames = 60): void {
  const element = find();
  if (element && typingElsewhere(element)) return;
  if (element) {
    element.focus({ preventScroll: false });
    return;
  }
  if (frames > 0) requestAnimationFrame(() => focusWhenShown(find, frames - 1));
}

/** Once per opened session (the view is keyed by it), when `ready` first turns true. */
export function useFocusOnOpen(section: RefObject<HTMLElement | null>, ready: boolean): void {
  const done = useRef(false);
  useEffect(() => {
    if (!ready || done.current) return;
    done.current = true;
    // A dialog someone opened meanwhile keeps its focus.
    if (document.querySelector("dialog[open]")) return;
    focusWhenShown(
      () =>
        section.current?.querySelector<HTMLElement>("textarea:not([disabled])") ??
        section.current?.querySelector<HTMLElement>("#session-title") ??
        null,
      10,
    );
  }, [ready, section]);
}

/** A function to call with the new suggestions' ids: focus moves to the first one shown. */
export function useFocusSuggestions(section: RefObject<HTMLElement | null>): (ids: readonly string[]) => void {
  return useCallback(
    (ids) => {
      const first = ids[0];
      if (!first) return;
      focusWhenShown(
        () => section.current?.querySelector<HTMLElement>(`[data-suggestion-id="${CSS.escape(first)}"]`) ?? null,
      );
    },
    [section],
  );
}
