/**
 * Feeds as lines of text: the preview, the list, the progress of an ingest and its report. Pure; the
 * command line prints them, the bot puts them in an embed (user-typed parts sanitised there).
 */
import type { AddOutcome, FeedListing, FeedPreview, FeedReport, IngestReport } from './service.ts';

export function previewLines(p: FeedPreview): string[] {
  return [
    `${p.title ?? '(untitled feed)'} — ${p.format.toUpperCase()}, ${p.items} item${p.items === 1 ? '' : 's'}`,
    p.url,
    ...(p.newest.length === 0 ? ['  (no items yet)'] : []),
    ...p.newest.map((i) => `  ${i.date?.slice(0, 10) ?? '    undated'}  ${i.title ?? i.url ?? '(untitled)'}`),
  ];
}

export function addLines(r: Extract<AddOutcome, { ok: true }>): string[] {
  const s = r.subscription;
  return [
    ...previewLines(r.preview),
    r.saved
      ? `Subscribed as "${s.name}" (every ${s.interval}${s.topics.length > 0 ? `, topics ${s.topics.join(', ')}` : ''}); its items arrive at the next ingest.`
      : `Dry run: not saved (it would be "${s.name}", every ${s.interval}).`,
  ];
}

const when = (iso: string | undefined) =>
  iso === undefined ? 'never' : `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export function listLines(feeds: readonly FeedListing[]): string[] {
  if (feeds.length === 0) return ['No feeds. Add one with: npm run feeds -- add <url> (or /feeds add).'];
  return feeds.flatMap((f) => {
    const s = f.state;
    return [
      `${f.subscription.name} (${f.status})${s.title !== undefined ? ` ${s.title}` : ''}`,
      `  ${f.subscription.url}`,
      `  items ${f.items} · last success ${when(s.lastSuccess)} · next poll ${nextPoll(f)}`,
      ...(s.lastError !== undefined
        ? [
            `  last error ${when(s.lastError.at)}: ${s.lastError.message}${s.failures > 0 ? ` (${s.failures} in a row)` : ''}`,
          ]
        : []),
      ...(s.disabled !== undefined
        ? [`  disabled ${when(s.disabled.at)}: ${s.disabled.reason}; resume to retry`]
        : []),
    ];
  });
}

/** A paused or disabled feed is not polled; an active one never polled is due at once. */
function nextPoll(f: FeedListing): string {
  if (f.status !== 'active') return '—';
  return f.state.nextPoll === undefined ? 'now' : when(f.state.nextPoll);
}

export function progressLine(f: FeedReport): string {
  if (f.outcome === 'failed')
    return `✗ ${f.name}: ${f.message ?? 'failed'}${f.disabled !== undefined ? ' — now disabled' : ''}`;
  if (f.outcome === 'not_modified') return `· ${f.name}: not modified`;
  return `✓ ${f.name}: ${f.added.length} new, ${f.updated.length} updated`;
}

export function reportLines(r: IngestReport): string[] {
  return [
    `${r.feeds.length} feed${r.feeds.length === 1 ? '' : 's'} polled, ${r.skipped} not due: ` +
      `${r.added} new article${r.added === 1 ? '' : 's'}, ${r.updated} updated, ${r.failed} failed.`,
  ];
}
