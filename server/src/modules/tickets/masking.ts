/** Masks keep just enough for a caller to tell two reporters apart, never enough to identify one. */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${word[0]}${"*".repeat(Math.max(word.length - 1, 2))}`)
    .join(" ");
}

export function maskEmail(email: string | null): string | null {
  if (!email) return email;
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${email[0]}***@${email.slice(at + 1)}`;
}

export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\D/g, "");
  return `${"*".repeat(Math.max(digits.length - 3, 3))}${digits.slice(-3)}`;
}
