import { PothosValidationError } from "@pothos/core";
import { GraphQLError } from "graphql";
import { DomainError } from "../errors.js";
import { AuthenticationError } from "../modules/auth/auth-service.js";

/**
 * The code of an error that refuses what a caller asked for (a missing credential, a scope, a malformed or
 * over-limit request, a domain rule), or null for a fault of the server. Refusals are part of ordinary
 * traffic and are logged at info without a stack; only faults are errors.
 */
export function refusalCode(error: unknown): string | null {
  if (error instanceof GraphQLError && !error.originalError) {
    // Yoga's and GraphQL's own refusals (parse, validation, variables, limits) carry no cause.
    return typeof error.extensions.code === "string" ? error.extensions.code : "BAD_REQUEST";
  }
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) return original.code;
  if (original instanceof AuthenticationError) return "UNAUTHENTICATED";
  if (original instanceof PothosValidationError) return "VALIDATION_FAILED";
  if (original instanceof GraphQLError && original !== error) return refusalCode(original);
  return null;
}
