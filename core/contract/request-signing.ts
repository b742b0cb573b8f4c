/**
 * How a station signs its requests. Pure string building, shared by the server's verifier and by clients
 * (the station signs with WebCrypto Ed25519, tests with node:crypto).
 *
 * The signed text is `${METHOD}\n${target}\n${timestamp}\n${bodySha256Hex}` where `target` is the request
 * target exactly as sent (path plus query string, so a cursor cannot be swapped) and the body hash is the
 * lower-case hex SHA-256 of the raw body bytes (of zero bytes when there is no body).
 */
export const stationHeaders = {
  stationId: 'x-station-id',
  timestamp: 'x-timestamp',
  signature: 'x-signature',
} as const;

/** How far a request's timestamp may be from the server's clock. */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;

export function signingText(method: string, target: string, timestampMs: number, bodySha256Hex: string): string {
  return `${method.toUpperCase()}\n${target}\n${timestampMs}\n${bodySha256Hex}`;
}
