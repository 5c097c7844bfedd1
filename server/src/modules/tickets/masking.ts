/**
 * Masks keep just enough for a caller to tell two reporters apart, never enough to identify one: nothing of
 * a mask depends on the length of what it hides, so a mask cannot be matched against a list of names.
 */
const HIDDEN = "***";

/** The first letter of each word, then a fixed mask: "Joko Permana" and "Joko Purnomo" read the same. */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${String.fromCodePoint(word.codePointAt(0) ?? 42)}${HIDDEN}`)
    .join(" ");
}

/** The first letter and the domain; the local part's length stays hidden. */
export function maskEmail(email: string | null): string | null {
  if (!email) return email;
  const at = email.lastIndexOf("@");
  if (at <= 0) return HIDDEN;
  return `${String.fromCodePoint(email.codePointAt(0) ?? 42)}${HIDDEN}@${email.slice(at + 1)}`;
}

/** The last three digits only, behind a mask of fixed length. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\D/g, "");
  return digits.length > 3 ? `${HIDDEN}${digits.slice(-3)}` : HIDDEN;
}
