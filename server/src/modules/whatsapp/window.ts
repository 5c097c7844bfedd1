/** Meta's customer-service window: free-form messages may be sent this long after the citizen's last one. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export type ReplyForm = "text" | "template";

/**
 * How a reply may go out at `now`: as free text while the 24-hour customer-service window opened by the
 * citizen's last message is open, else only as an approved template. A citizen who never wrote (a ticket
 * opened by staff on the WhatsApp channel) has no window. A clock skew that puts the message in the future
 * counts as inside the window.
 */
export function replyForm(lastInboundAt: Date | null, now: Date): ReplyForm {
  if (!lastInboundAt) return "template";
  return now.getTime() - lastInboundAt.getTime() < SERVICE_WINDOW_MS ? "text" : "template";
}
