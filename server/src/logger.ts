import { pino } from "pino";
import { requestScope } from "./http/request-scope.js";

export type Logger = pino.Logger;

/** Writes JSON lines to stdout, or to `destination` (tests read what the server logs). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "pantau" },
    redact: ["req.headers.authorization", "*.password"],
    // Every line written while a request is served names it, so an error can be followed to its access line.
    mixin: () => {
      const scope = requestScope.getStore();
      if (!scope) return {};
      return scope.traceId ? { requestId: scope.requestId, traceId: scope.traceId } : { requestId: scope.requestId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
