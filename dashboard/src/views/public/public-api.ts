import { stringifyDocument } from "@urql/core";
import type { TadaDocumentNode } from "gql.tada";
import { graphql, type ResultOf } from "../../graphql/graphql.js";

/** The public pages call the API without a credential and without the signed-in client (no live socket). */
export async function publicRequest<Data, Variables>(
  document: TadaDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query: stringifyDocument(document), variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: { message: string }[] };
  if (!body.data) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return body.data;
}

export const DirectoryQuery = graphql(`
  query PublicDirectory {
    publicUnits { code name type provinceCode provinceName city timeZone }
    publicCategories { code name nameEn children { code name nameEn } }
  }
`);

export const ChallengeQuery = graphql(`
  query PublicReportChallenge {
    publicReportChallenge { token bits expiresAt }
  }
`);

export const SubmitMutation = graphql(`
  mutation SubmitPublicReport($input: SubmitPublicReportInput!) {
    submitPublicReport(input: $input) {
      __typename
      ... on SubmitPublicReportSuccess { report { ticketNumber trackingCode createdAt unit { name timeZone } } }
      ... on Error { code message }
      ... on ValidationError { field }
      ... on PublicLimitError { retryAfterSeconds }
    }
  }
`);

export const TrackQuery = graphql(`
  query PublicTicket($number: String!, $trackingCode: String!) {
    publicTicket(number: $number, trackingCode: $trackingCode) {
      __typename
      ... on PublicTicketSuccess {
        ticket {
          number subject kind status createdAt
          unit { name city provinceName timeZone }
          nextDue { at timeZone }
          replies { body at }
          outcome { kind at message }
        }
      }
      ... on Error { code message }
      ... on PublicLimitError { retryAfterSeconds }
    }
  }
`);

export type Directory = ResultOf<typeof DirectoryQuery>;
export type PublicUnit = Directory["publicUnits"][number];

export const StatisticsQuery = graphql(`
  query PublicStatistics($month: String!, $unitCode: String) {
    publicStatistics(month: $month, unitCode: $unitCode) {
      __typename
      ... on PublicStatisticsSuccess {
        statistics {
          month complete smallCountThreshold computedAt
          unit { code name type timeZone }
          figures { received resolved withinDeadlinePercent medianFirstResponseMinutes medianResolutionMinutes suppressed }
          channels { channel received }
          subunits {
            unit { code name type city }
            figures { received resolved withinDeadlinePercent medianFirstResponseMinutes medianResolutionMinutes suppressed }
          }
        }
      }
      ... on Error { code message }
    }
  }
`);
