// Opening a session at one message (from a search result): load older pages until the message is
// there, then scroll the virtual list to it, centred, once the rows around it have been measured.
import type { TMessageDto } from "@lockstep/contracts";
import type { Virtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, useState } from "react";

export function useFocusMessage(
  messageId: string | undefined,
  messages: readonly TMessageDto[],
  virtualizer: Virtualizer<HTMLDivElement, Element>,
  older: { hasOlder: boolean; loadingOlder: boolean; loadOlder: () => void },
): { id: string | undefined; holding: boolean } {
  const index = messageId ? messages.findIndex((message) => message.id === messageId) : -1;
  // Done once per message id: later messages and scrolling are the person's again.
  const [done, setDone] = useState<string | undefined>(undefined);
  const pending = Boolean(messageId) && done !== messageId;
  const { hasOlder, loadingOlder, loadOlder } = older;
  const scrolled = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!pending || index !== -1 || messages.length === 0) return;
    if (hasOlder && !loadingOlder) loadOlder();
    else if (!hasOlder) setDone(messageId); // not in this session (or no longer): nothing to show
  }, [pending, index, hasOlder, loadingOlder, loadOlder, messages.length, messageId]);

  useEffect(() => {
    if (!pending || index === -1 || scrolled.current === messageId) return;
    scrolled.current = messageId;
    // After the first load's scroll to the end; again once the rows near the target are measured.
    const frames: number[] = [];
    frames.push(
      requestAnimationFrame(() => {
        virtualizer.scrollToIndex(index, { align: "center" });
        frames.push(
          requestAnimationFrame(() => {
            virtualizer.scrollToIndex(index, { align: "center" });
            setDone(messageId);
          }),
        );
      }),
    );
    return () => {
      frames.forEach((frame) => cancelAnimationFrame(frame));
      scrolled.current = undefined;
    };
  }, [pending, index, messageId, virtualizer]);

  return { id: index === -1 ? undefined : messageId, holding: pending };
}
