/** The outbound states a WhatsApp status receipt can move a message between. */
export type ReceiptState = "PENDING" | "SENDING" | "SENT" | "DELIVERED" | "READ" | "FAILED" | "DEAD";

/** Meta's status values (`statuses[].status`). */
export type WhatsAppStatus = "sent" | "delivered" | "read" | "failed";

const RANK: Partial<Record<ReceiptState, number>> = { SENDING: 0, SENT: 1, DELIVERED: 2, READ: 3 };

/**
 * The state a receipt leads to, or null when it changes nothing. Receipts may arrive out of order and
 * more than once (read before delivered, a redelivered webhook), so a state never moves back: read beats
 * delivered beats sent. A failure after acceptance (e.g. the citizen's number cannot receive) ends the
 * message as dead unless it was already shown delivered or read. A receipt for a message not yet handed
 * over (pending, or retrying after a failure) or already dead changes nothing.
 */
export function afterReceipt(current: ReceiptState, receipt: WhatsAppStatus): ReceiptState | null {
  const rank = RANK[current];
  if (rank === undefined) return null;
  if (receipt === "failed") return rank < (RANK.DELIVERED as number) ? "DEAD" : null;
  const target: ReceiptState = receipt === "sent" ? "SENT" : receipt === "delivered" ? "DELIVERED" : "READ";
  return (RANK[target] as number) > rank ? target : null;
}
