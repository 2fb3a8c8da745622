// When to send again: pure helpers for the socket's outbox (tested with node --test).
export const RETRY_BASE_MS = 500;
export const RETRY_MAX_MS = 8000;

/** Was this answer a throttle? Then the operation stays in the outbox and is sent again. */
export function isRateLimited(ack) {
  return Boolean(ack && ack.ok === false && ack.error?.code === 'rate_limited');
}

/** Did the server fail to answer for it? It may have been committed all the same
 *  (docs/protocol.md §10): send it again with the same op_id, after a back-off. */
export function isServerError(ack) {
  return Boolean(ack && ack.ok === false && ack.error?.code === 'server_error');
}

/** How long to wait after a `rate_limited` answer: the server's hint, jittered ×1–2, capped. */
export function rateLimitDelay(error, random = Math.random) {
  const hint = Number.isFinite(error?.retry_after_ms) ? error.retry_after_ms : RETRY_BASE_MS;
  return Math.min(RETRY_MAX_MS, Math.max(50, hint)) * (1 + random());
}
