import { pino } from "pino";

export type Logger = pino.Logger;

/** Writes JSON lines to stdout, or to `destination` (tests read what the server logs). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, base: { service: "pantau" }, redact: ["req.headers.authorization", "*.password"] };
  return destination ? pino(options, destination) : pino(options);
}
