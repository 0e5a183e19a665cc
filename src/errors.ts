/** Ids of the mistakes a user can make and fix; front ends turn them into messages, logs keep the id. */
export type UserErrorId =
  | 'empty_query'
  | 'query_too_long'
  | 'bad_date'
  | 'bad_option'
  | 'corpus_not_found'
  | 'corpus_empty'
  | 'topics_invalid'
  | 'bad_config'
  | 'unknown_topic'
  | 'post_failed'
  | 'not_operator'
  | 'feed_rejected'
  | 'store_unavailable';

/** An error the user caused and can fix: `message` says what is wrong and how to fix it. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    readonly id: UserErrorId,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
