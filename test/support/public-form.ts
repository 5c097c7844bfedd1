import { createHash } from "node:crypto";

/** Solves a publicReportChallenge as its description says a client must: a nonce whose hash has `bits` zero bits. */
export function solve(token: string, bits: number): string {
  for (let n = 0; ; n += 1) {
    const nonce = n.toString(36);
    const digest = createHash("sha256").update(`${token}:${nonce}`).digest();
    let zeros = 0;
    for (const byte of digest) {
      if (byte === 0) {
        zeros += 8;
        continue;
      }
      zeros += Math.clz32(byte) - 24;
      break;
    }
    if (zeros >= bits) return nonce;
  }
}

export const CHALLENGE = /* GraphQL */ `query { publicReportChallenge { token bits expiresAt } }`;

export const SUBMIT = /* GraphQL */ `
  mutation($input: SubmitPublicReportInput!) {
    submitPublicReport(input: $input) {
      __typename
      ... on SubmitPublicReportSuccess { report { ticketNumber trackingCode createdAt unit { code name timeZone } } }
      ... on Error { code message }
      ... on ValidationError { field }
      ... on PublicLimitError { retryAfterSeconds }
    }
  }`;

export const TRACK = /* GraphQL */ `
  query($number: String!, $trackingCode: String!) {
    publicTicket(number: $number, trackingCode: $trackingCode) {
      __typename
      ... on PublicTicketSuccess {
        ticket {
          number subject description kind status categoryCode createdAt
          unit { code name provinceName city timeZone }
          nextDue { at local timeZone }
          replies { body at }
          outcome { kind at message }
        }
      }
      ... on Error { code message }
      ... on PublicLimitError { retryAfterSeconds }
    }
  }`;
