export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function graphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ status: number; body: GraphQLResponse<T> }> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<T> };
}

const LOGIN = `
  mutation($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      __typename
      ... on LoginSuccess { session { token } }
      ... on Error { code message }
    }
  }
`;

export async function login(url: string, email: string, password: string): Promise<string> {
  const { body } = await graphql<{ login: { __typename: string; session?: { token: string }; message?: string } }>(
    url,
    LOGIN,
    { email, password },
  );
  const token = body.data?.login.session?.token;
  if (!token) throw new Error(`login as ${email} failed: ${JSON.stringify(body)}`);
  return token;
}

/** The demo password the bench starts the server with; the default is fine, but it must be known. */
export const DEMO_PASSWORD = "bench-demo-password";
