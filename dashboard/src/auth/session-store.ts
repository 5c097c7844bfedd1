/** The session token kept in the browser so a reload or a new tab stays signed in until it expires. */
const STORAGE_KEY = "pantau.session";

export interface StoredSession {
  token: string;
  expiresAt: string;
}

export function loadSession(now = Date.now()): StoredSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof session.token !== "string" || typeof session.expiresAt !== "string") return null;
    if (Date.parse(session.expiresAt) <= now) {
      localStorage.removeItem(STORAGE_KEY);
      return null;
    }
    return { token: session.token, expiresAt: session.expiresAt };
  } catch {
    return null;
  }
}

export function saveSession(session: StoredSession | null): void {
  if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(STORAGE_KEY);
}
