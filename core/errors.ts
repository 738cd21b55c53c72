/**
 * Typed errors with stable codes. Adapters never build error responses themselves:
 * `toErrorResponse` in `core/http/respond.ts` is the one place an error becomes HTTP.
 */
export abstract class NewsSearchError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Whether `message` may be shown to the caller. 5xx errors keep internals private. */
  get expose(): boolean {
    return this.status < 500;
  }
}

/** A request parameter is missing, malformed, out of range or unknown. */
export class BadRequestError extends NewsSearchError {
  readonly status = 400;
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'BadRequestError';
  }
}

export class NotFoundError extends NewsSearchError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class MethodNotAllowedError extends NewsSearchError {
  readonly status = 405;
  readonly code = 'method_not_allowed';
  constructor(readonly allowed: string[]) {
    super(`Method not allowed; use ${allowed.join(', ')}`);
    this.name = 'MethodNotAllowedError';
  }
}

/**
 * A `cursor` was issued for another index version than the one now live (a new version was
 * published since): its sort key means nothing in the new index, so the walk must start again.
 */
export class IndexChangedError extends NewsSearchError {
  readonly status = 409;
  readonly code = 'index_changed';
  readonly field = 'cursor';
  constructor(message: string) {
    super(message);
    this.name = 'IndexChangedError';
  }
}

/**
 * The index could not be loaded (storage down, checksum mismatch, missing pointer).
 * Exposed on purpose: the message says what is wrong without paths or stack traces,
 * and a 503 tells clients and load balancers to retry.
 */
export class IndexUnavailableError extends NewsSearchError {
  readonly status = 503;
  readonly code = 'index_unavailable';
  override get expose(): boolean {
    return true;
  }
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IndexUnavailableError';
  }
}

/** A bundle is not one this version can read (wrong format version, bad manifest, checksum mismatch). */
export class IndexFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexFormatError';
  }
}

/**
 * `q` is not a well-formed query (an unclosed quote or parenthesis, an operator with nothing to join,
 * an empty group, a limit of `QUERY_LIMITS` exceeded). The message ends with the 1-based character
 * position at fault ("… at position 12"), also kept as `position`.
 */
export class QuerySyntaxError extends BadRequestError {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super('bad_query', `${message} at position ${position}`, 'q');
    this.name = 'QuerySyntaxError';
  }
}
