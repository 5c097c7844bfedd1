/** Stream positions are decimal strings that may pass 2^53, so they are compared as bigints. */
export function isAfter(sequence: string, last: string | null): boolean {
  return last === null || BigInt(sequence) > BigInt(last);
}
