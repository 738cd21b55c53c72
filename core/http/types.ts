/** A request as every adapter (Lambda, local server, tests) hands it to the router. */
export interface ApiRequest {
  method: string;
  /** Path without query string, still percent-encoded, e.g. `/articles/abc%2F1`. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** Text, or bytes when compressed (with a `content-encoding` header); adapters send bytes as base64. */
  body: string | Uint8Array;
  /** For the adapter's log line; never sent to the client. */
  log: { route: string; indexVersion?: string; errorCode?: string };
}
