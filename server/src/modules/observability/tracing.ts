import {
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type { ReadableSpan, Span as SdkSpan, SpanProcessor } from "@opentelemetry/sdk-trace";
import type { Plugin } from "graphql-yoga";
import type { Logger } from "../../logger.js";
import { SERVER_VERSION } from "../../version.js";

export interface TracingConfig {
  endpoint: string | null;
  serviceName: string;
  resolverThresholdMs: number;
}

/** What the server uses of tracing once it is on; absent (null) when no OTLP endpoint is configured. */
export interface Tracing {
  readonly tracer: Tracer;
  /** Yoga plugin: a span per operation and per resolver (see ResolverThreshold). */
  readonly plugin: Plugin;
  /** Runs `serve` inside a server span for one HTTP request, continuing the caller's `traceparent`. */
  inRequestSpan<T>(
    request: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> },
    route: string,
    serve: (span: Span) => T,
  ): T;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

// The attribute @envelop/opentelemetry puts on resolver spans, and only on them.
const RESOLVER_FIELD = "graphql.resolver.fieldName";

/**
 * Drops resolver spans shorter than the threshold before export: a page of tickets resolves hundreds of
 * fields in microseconds each, and a trace is read for the slow ones. Operation, HTTP and SQL spans all
 * pass.
 */
export class ResolverThreshold implements SpanProcessor {
  constructor(
    private readonly next: SpanProcessor,
    private readonly thresholdMs: number,
  ) {}
  onStart(span: SdkSpan, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan): void {
    if (span.attributes[RESOLVER_FIELD] !== undefined && durationMs(span) < this.thresholdMs) return;
    this.next.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

function durationMs(span: ReadableSpan): number {
  const [seconds, nanos] = span.duration;
  return seconds * 1000 + nanos / 1e6;
}

let statementTracer: Tracer | null = null;

/**
 * A span around one SQL statement sent through `Database.sql` (Prisma's own statements are traced by its
 * instrumentation). Only the statement's text is recorded, never its parameters: they carry citizens'
 * names and messages.
 */
export function traceStatement<T>(text: string, run: () => Promise<T>): Promise<T> {
  const tracer = statementTracer;
  if (!tracer) return run();
  const operation = /^\s*(?:WITH\b[\s\S]*?\)\s*)?([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? "SQL";
  return tracer.startActiveSpan(
    operation,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "db.system.name": "postgresql",
        "db.operation.name": operation,
        "db.query.text": text.slice(0, 2000),
      },
    },
    async (span) => {
      try {
        return await run();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Starts tracing if an endpoint is configured: the SDK, the context across awaits, Prisma's spans. */
export async function startTracing(config: TracingConfig, logger: Logger): Promise<Tracing | null> {
  if (!config.endpoint) return null;
  // The SDK is loaded only when tracing is on: a server that does not trace never spends its start-up on it.
  const [
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
    { OTLPTraceExporter },
    { registerInstrumentations },
    { resourceFromAttributes },
    { BatchSpanProcessor, TracerProvider },
    { PrismaInstrumentation },
    { useOpenTelemetry },
  ] = await Promise.all([
    import("@opentelemetry/context-async-hooks"),
    import("@opentelemetry/core"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/instrumentation"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/sdk-trace"),
    import("@prisma/instrumentation"),
    import("@envelop/opentelemetry"),
  ]);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": config.serviceName, "service.version": SERVER_VERSION }),
    spanProcessors: [
      new ResolverThreshold(
        new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.endpoint }) }),
        config.resolverThresholdMs,
      ),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new PrismaInstrumentation()],
  });
  const tracer = provider.getTracer("pantau", SERVER_VERSION);
  statementTracer = tracer;
  const plugin = useOpenTelemetry(
    { resolvers: true, defaultResolvers: false, variables: false, result: false, document: true },
    provider,
  ) as Plugin;
  logger.info({ endpoint: config.endpoint, resolverThresholdMs: config.resolverThresholdMs }, "tracing to OTLP");
  return {
    tracer,
    plugin,
    inRequestSpan(request, route, serve) {
      const parent = propagation.extract(context.active(), request.headers);
      return tracer.startActiveSpan(
        `${request.method ?? "GET"} ${route}`,
        { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method ?? "GET", "url.path": route } },
        parent,
        serve,
      );
    },
    async shutdown() {
      statementTracer = null;
      unregister();
      await provider
        .shutdown()
        .catch((error: unknown) => logger.warn({ err: error }, "tracing: export on shutdown failed"));
    },
  };
}
