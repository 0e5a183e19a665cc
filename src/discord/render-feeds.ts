/** Pure renderers of /feeds: the feed module's text lines, sanitised, in a notice embed. */

import { addLines, listLines } from '../feeds/render.ts';
import type { AddOutcome, FeedListing } from '../feeds/service.ts';
import { type MessagePayload, renderNotice, sanitize } from './render.ts';

export function renderFeedAdded(r: Extract<AddOutcome, { ok: true }>): MessagePayload {
  return renderNotice(r.saved ? 'Feed added' : 'Feed preview (not saved)', addLines(r).map(sanitize));
}

export function renderFeedList(feeds: readonly FeedListing[]): MessagePayload {
  // Each feed's lines stay together; sanitize keeps the indentation out, so a bullet marks the first.
  const lines = listLines(feeds).map((line) =>
    line.startsWith('  ') ? sanitize(line) : `**${sanitize(line)}**`,
  );
  return renderNotice(`Feeds (${feeds.length})`, lines);
}
