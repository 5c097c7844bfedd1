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

export type Viewer = NonNullable<ResultOf<typeof ViewerQuery>["viewer"]>;

interface Auth {
  session: StoredSession | null;
  /** Why the last session ended, when the server ended it. */
  endedReason: "expired" | null;
  signIn(email: string, password: string): Promise<"ok" | "invalid">;
  signOut(): Promise<void>;
  liveStatus: LiveStatus;
  /** Grows each time the live connection comes back after a drop, so streams resume. */
  reconnects: number;
}

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
    const timer = setTimeout(() => endSession("expired"), Date.parse(session.expiresAt) - Date.now());
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

  const signOut = useCallback(async () => {
    if (session) await postGraphQL({ query: stringifyDocument(LogoutMutation) }, session.token).catch(() => undefined);
    endSession(null);
  }, [session, endSession]);

  const value = useMemo<Auth>(
    () => ({ session, endedReason, signIn, signOut, liveStatus, reconnects }),
    [session, endedReason, signIn, signOut, liveStatus, reconnects],
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
