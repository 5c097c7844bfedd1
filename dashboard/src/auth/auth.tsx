import { stringifyDocument } from "@urql/core";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { Provider as UrqlProvider, useQuery } from "urql";
import { createPantauClient, type LiveStatus } from "../graphql/client.js";
import { graphql, type ResultOf } from "../graphql/graphql.js";
import { loadSession, type StoredSession, saveSession } from "./session-store.js";

const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      __typename
      ... on LoginSuccess { session { token expiresAt } }
      ... on InvalidCredentialsError { code message }
    }
  }
`);

const LogoutMutation = graphql(`
  mutation Logout { logout }
`);

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      kind
      name
      role
      unit { id code name type provinceCode timeZone }
    }
  }
`);

const DisplayKeyQuery = graphql(`
  query DisplayKey {
    viewer { kind scopes }
  }
`);

/** What a display key needs (figures and the live stream) and nothing that writes or unmasks. */
const DISPLAY_SCOPES = new Set(["metrics:read", "tickets:read"]);
export function isDisplayScope(scopes: readonly string[]): boolean {
  return scopes.includes("metrics:read") && scopes.every((scope) => DISPLAY_SCOPES.has(scope));
}

/** A display stays open for as long as its key is valid; this only bounds how long the browser keeps it. */
const DISPLAY_SESSION_MS = 366 * 86_400_000;

export type Viewer = NonNullable<ResultOf<typeof ViewerQuery>["viewer"]>;

interface Auth {
  session: StoredSession | null;
  /** Why the last session ended, when the server ended it. */
  endedReason: "expired" | null;
  signIn(email: string, password: string): Promise<"ok" | "invalid">;
  /** Opens a display (a wall screen) with a read-only API key instead of a person's session. */
  signInWithDisplayKey(key: string): Promise<"ok" | "invalid" | "not-read-only">;
  signOut(): Promise<void>;
  liveStatus: LiveStatus;
  /** Grows each time the live connection comes back after a drop, so streams resume. */
  reconnects: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

const AuthContext = createContext<Auth | null>(null);

async function postGraphQL(body: object, token?: string): Promise<Response> {
  return fetch("/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<StoredSession | null>(() => loadSession());
  const [endedReason, setEndedReason] = useState<"expired" | null>(null);
  const [liveStatus, setLiveStatus] = useState<LiveStatus>("connecting");
  const [reconnects, setReconnects] = useState(0);

  const endSession = useCallback((reason: "expired" | null) => {
    saveSession(null);
    setSession(null);
    setEndedReason(reason);
  }, []);

  const pantau = useMemo(() => {
    if (!session) return null;
    let wasConnected = false;
    return createPantauClient({
      token: session.token,
      onLiveStatus: (status) => {
        setLiveStatus(status);
        if (status === "connected") {
          if (wasConnected) setReconnects((n) => n + 1);
          wasConnected = true;
        }
      },
      onUnauthenticated: () => endSession("expired"),
    });
  }, [session, endSession]);
  useEffect(() => () => pantau?.dispose(), [pantau]);

  // A session ends on its own at its expiry.
  useEffect(() => {
    if (!session) return;
    // Timers hold at most 2^31 - 1 ms (24.8 days) and fire at once beyond that; a display key's session
    // is longer, so the expiry is checked again at most that far ahead.
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      const left = Date.parse(session.expiresAt) - Date.now();
      if (left <= 0) endSession("expired");
      else timer = setTimeout(check, Math.min(left, MAX_TIMER_MS));
    };
    check();
    return () => clearTimeout(timer);
  }, [session, endSession]);

  const signIn = useCallback(async (email: string, password: string) => {
    const response = await postGraphQL({ query: stringifyDocument(LoginMutation), variables: { email, password } });
    const body = (await response.json()) as { data?: ResultOf<typeof LoginMutation> };
    const result = body.data?.login;
    if (result?.__typename !== "LoginSuccess") return "invalid";
    const next = { token: result.session.token, expiresAt: result.session.expiresAt };
    saveSession(next);
    setEndedReason(null);
    setSession(next);
    return "ok";
  }, []);

  const signInWithDisplayKey = useCallback(async (key: string) => {
    const response = await postGraphQL({ query: stringifyDocument(DisplayKeyQuery) }, key.trim()).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { data?: ResultOf<typeof DisplayKeyQuery> } | null;
    const viewer = body?.data?.viewer;
    if (!viewer || viewer.kind !== "API_KEY") return "invalid";
    // A screen on a wall must not be able to change anything nor show whom a ticket is about.
    if (!isDisplayScope(viewer.scopes)) return "not-read-only";
    // The key's own expiry and revocation are the server's to enforce: a refused key ends this session.
    const next = { token: key.trim(), expiresAt: new Date(Date.now() + DISPLAY_SESSION_MS).toISOString() };
    saveSession(next);
    setEndedReason(null);
    setSession(next);
    return "ok";
  }, []);

  const signOut = useCallback(async () => {
    if (session) await postGraphQL({ query: stringifyDocument(LogoutMutation) }, session.token).catch(() => undefined);
    endSession(null);
  }, [session, endSession]);

  const value = useMemo<Auth>(
    () => ({ session, endedReason, signIn, signInWithDisplayKey, signOut, liveStatus, reconnects }),
    [session, endedReason, signIn, signInWithDisplayKey, signOut, liveStatus, reconnects],
  );
  return (
    <AuthContext.Provider value={value}>
      {pantau ? (
        <UrqlProvider value={pantau.client}>
          <SessionGuard onExpired={() => endSession("expired")}>{children}</SessionGuard>
        </UrqlProvider>
      ) : (
        children
      )}
    </AuthContext.Provider>
  );
}

/** A token the server no longer accepts (revoked, expired) ends the session in the browser too. */
function SessionGuard({ children, onExpired }: { children: ReactNode; onExpired(): void }) {
  const [{ error }] = useQuery({ query: ViewerQuery, requestPolicy: "cache-first" });
  const rejected = error?.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED") ?? false;
  useEffect(() => {
    if (rejected) onExpired();
  }, [rejected, onExpired]);
  return children;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}

export function useViewer(): { viewer: Viewer | null; fetching: boolean } {
  const [{ data, fetching }] = useQuery({ query: ViewerQuery, requestPolicy: "cache-first" });
  return { viewer: data?.viewer ?? null, fetching: fetching && !data };
}
