// The console speaks tRPC 11's HTTP wire format itself, like the widget (see
// packages/widget/src/transport/wire.ts): queries GET /trpc/<path>?input=<json>, mutations POST.
// The session is the HttpOnly cookie; mutations add the session's CSRF token in `x-gomomo-csrf`.

/** One field's problem, as the server's VALIDATION errors list them. */
export interface FieldError {
  field: string;
  message: string;
}

/** A failed call: the gomomo error code, the message, and per-field problems when there are some. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: FieldError[];

  constructor(input: { message: string; code: string; status: number; fields?: FieldError[] | undefined }) {
    super(input.message);
    this.name = 'ApiError';
    this.code = input.code;
    this.status = input.status;
    this.fields = input.fields ?? [];
  }

  /** The message for one field (matching `field` or any of its sub-fields), if the server named it. */
  fieldMessage(field: string): string | undefined {
    const found = this.fields.find((f) => f.field === field || f.field.startsWith(`${field}.`));
    if (found) return found.message.startsWith(`${found.field}: `) ? found.message.slice(found.field.length + 2) : found.message;
    // Errors without a field list name their field at the start of the message ("email: …").
    return this.message.startsWith(`${field}: `) ? this.message.slice(field.length + 2) : undefined;
  }
}

let csrfToken = '1';

/** Remembers the session's CSRF token (from sign-in or `console.auth.me`). Before a session, any value passes. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when a request finds the session gone (401), so the app can show the sign-in form. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

async function send<T>(path: string, init: RequestInit & { url: string }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(init.url, { ...init, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ message: 'The server cannot be reached; check the connection and try again', code: 'NETWORK', status: 0 });
  }
  const body = (await response.json().catch(() => undefined)) as
    | { result?: { data: T }; error?: { message?: string; data?: { code?: string; httpStatus?: number; fields?: FieldError[] } } }
    | undefined;
  if (response.ok && body?.result) return body.result.data;
  const error = new ApiError({
    message: body?.error?.message ?? `HTTP ${response.status}`,
    code: body?.error?.data?.code ?? 'INTERNAL',
    status: response.status,
    fields: body?.error?.data?.fields,
  });
  if (response.status === 401 && !path.startsWith('console.auth.signIn')) onSignedOut();
  throw error;
}

/** A query: GET /trpc/<path>?input=… */
export function query<T>(path: string, input?: unknown): Promise<T> {
  const search = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return send<T>(path, { url: `/trpc/${path}${search}`, method: 'GET' });
}

/** A mutation: POST /trpc/<path> with the CSRF header (and any extra headers, e.g. the admin secret). */
export function mutate<T>(path: string, input?: unknown, headers: Record<string, string> = {}): Promise<T> {
  return send<T>(path, {
    url: `/trpc/${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gomomo-csrf': csrfToken, ...headers },
    body: JSON.stringify(input ?? {}),
  });
}
