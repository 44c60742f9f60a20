import type { BookingEngine, Pool } from '@gomomo/core';
import type { Receptionist } from '@gomomo/server';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Our tracer; a no-op until a provider is registered (the API package alone costs nothing). */
const tracer = trace.getTracer('gomomo');

/** The running exporter: flushed and stopped when the app closes. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Starts exporting traces over OTLP/HTTP (JSON) to `endpoint` + `/v1/traces`. The SDK is imported
 * only here, so without OTEL_EXPORTER_OTLP_ENDPOINT it is never loaded. Process-wide (OpenTelemetry
 * keeps one global provider): the first app in a process to start it owns it.
 */
export async function startTracing(options: { endpoint: string; serviceName?: string }): Promise<Tracing> {
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }] = await Promise.all([import('@opentelemetry/sdk-trace-node'), import('@opentelemetry/exporter-trace-otlp-http')]);
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })] });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

/** Runs `fn` in a span that ends with it (an error marks the span and is rethrown). */
async function inSpan<T>(name: string, attributes: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

const requestSpans = new WeakMap<FastifyRequest, Span>();

/**
 * One server span per request, named by method and route PATTERN (never the raw URL), active for
 * the handler so the turn, engine and SQL spans nest under it. Register before the routes.
 */
export function traceRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const span = tracer.startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': route, 'gomomo.request_id': request.id },
    });
    requestSpans.set(request, span);
    // Callback style: the span's context reaches the handler only through context.with().
    context.with(trace.setSpan(context.active(), span), done);
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = requestSpans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}

/** A worker job in a `job <task>` span: its SQL (and the events it writes) nest under it. */
export function traceJob<T>(task: string, run: () => Promise<T>): Promise<T> {
  return inSpan(`job ${task}`, { 'gomomo.job.task': task }, run);
}

/** The receptionist with each turn in a `gomomo.turn` span (channel and brain; never the text). */
export function traceTurns(receptionist: Receptionist, brain: string): Receptionist {
  return { ...receptionist, handleTurn: (input) => inSpan('gomomo.turn', { 'gomomo.channel': input.channel, 'gomomo.brain': brain }, () => receptionist.handleTurn(input)) };
}

const tracedEngineCalls = ['listServices', 'getAvailability', 'hold', 'confirm', 'reschedule', 'cancel', 'lookup', 'releaseHold', 'joinWaitlist', 'checkChange'] as const;

/**
 * The engine with each booking call (what the chat tools and the API routes run) in an
 * `engine.<call>` span.
 */
export function traceEngine(engine: BookingEngine): BookingEngine {
  const traced: BookingEngine = { ...engine };
  for (const name of tracedEngineCalls) {
    const call = engine[name].bind(engine) as (input: never) => Promise<unknown>;
    (traced as unknown as Record<string, unknown>)[name] = (input: never) => inSpan(`engine.${name}`, {}, () => call(input));
  }
  return traced;
}

const traced = Symbol('gomomo.traced');
type Query = (...args: unknown[]) => unknown;

/**
 * A `pg.query` span per statement run while a span is active (background LISTEN and sweeps stay
 * out). Only the statement's first keyword is recorded: statements may inline a tenant id, and
 * values never reach a span.
 */
export function traceQueries(pool: Pool): void {
  pool.on('acquire', (client) => {
    const target = client as unknown as { query: Query; [traced]?: true };
    if (target[traced]) return;
    target[traced] = true;
    const original = target.query.bind(client) as Query;
    target.query = (...args: unknown[]) => {
      if (!trace.getActiveSpan()) return original(...args);
      const first = args[0] as string | { text?: string } | undefined;
      const text = typeof first === 'string' ? first : (first?.text ?? '');
      const operation = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
      const span = tracer.startSpan('pg.query', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operation } });
      const result = original(...args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        return (result as Promise<unknown>).then(
          (value) => {
            span.end();
            return value;
          },
          (error: unknown) => {
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
            throw error;
          },
        );
      }
      span.end();
      return result;
    };
  });
}
