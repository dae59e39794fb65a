/**
 * WebSocket close codes forge itself uses on `/graphql`, beside the graphql-ws protocol's own (4400 bad request,
 * 4401 unauthorized, 4403 forbidden, 4408 init timeout, 4409 duplicate id, 4429 too many inits, 4500 internal).
 * forge closes with 4401 when the connection_init token is refused; the close reason says why (expired, …).
 * forge's codes sit in 4800–4899 so that they never collide with the protocol's.
 */
export const ForgeCloseCode = {
  /**
   * The client did not read its events fast enough and its buffer (SUBSCRIPTION_BUFFER events) filled up.
   * Nothing is lost: reconnect and subscribe again with `after` set to the last eventId received.
   */
  SLOW_CONSUMER: 4801,
  /**
   * The gateway is shutting down (deploy, scale-in). Reconnect, to any instance, and resume with `after`.
   */
  GOING_AWAY: 4802,
  /**
   * The token the socket authenticated with (connection_init `connectionParams`) has expired. Get a fresh token,
   * reconnect with it and resubscribe with `after` set to the last eventId received: nothing is lost.
   */
  TOKEN_EXPIRED: 4803,
} as const;

export type ForgeCloseCode = (typeof ForgeCloseCode)[keyof typeof ForgeCloseCode];
