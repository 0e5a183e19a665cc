/**
 * The one answer shape every prompt asks for, and a tolerant reader for servers that ignore
 * `response_format`: JSON, JSON in a code fence, JSON inside prose, or prose with `[n]` markers.
 */
import { z } from 'zod';

export const modelAnswerSchema = z.strictObject({
  bullets: z.array(
    z.strictObject({
      text: z.string(),
      citations: z.array(z.number().int()),
    }),
  ),
});
export type ModelAnswer = z.infer<typeof modelAnswerSchema>;

/** The JSON schema sent as `response_format`, derived from the zod schema so the two cannot drift. */
export const modelAnswerJsonSchema = z.toJSONSchema(modelAnswerSchema, { target: 'draft-7' });

function tryJson(text: string): ModelAnswer | undefined {
  try {
    const parsed = modelAnswerSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    // Lenient on extra keys and on citations given as strings ("1") by small models.
    const loose = z
      .object({
        bullets: z.array(
          z.object({ text: z.string(), citations: z.array(z.coerce.number().int()).default([]) }),
        ),
      })
      .safeParse(JSON.parse(text));
    return loose.success ? loose.data : undefined;
  } catch {
    return undefined;
  }
}

/** How the answer was read: `json` as asked, or salvaged from a fence, embedded JSON or prose. */
export type ParseRoute = 'json' | 'fenced' | 'embedded' | 'prose';

export function parseModelAnswer(content: string): { answer: ModelAnswer; route: ParseRoute } | undefined {
  const text = content.trim();
  const direct = tryJson(text);
  if (direct) return { answer: direct, route: 'json' };
  const fence = text.match(/```(?:json)?\s*([\s\S]*?)```/);
  const fenced = fence ? tryJson(fence[1]!.trim()) : undefined;
  if (fenced) return { answer: fenced, route: 'fenced' };
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  const embedded = first >= 0 && last > first ? tryJson(text.slice(first, last + 1)) : undefined;
  if (embedded) return { answer: embedded, route: 'embedded' };
  // Prose: each line (or sentence) that carries [n] markers becomes a bullet citing them.
  const bullets: ModelAnswer['bullets'] = [];
  for (const raw of text.split(/\n+|(?<=[.!?]\s*(?:\[\d+\]\s*)+)\s+/)) {
    const citations = [...raw.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    const line = raw
      .replace(/\[\d+\]/g, '')
      .replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '')
      .replace(/\s+([.,;:])/g, '$1')
      .replace(/\s+/g, ' ')
      .trim();
    if (citations.length > 0 && line.length > 0)
      bullets.push({ text: line, citations: [...new Set(citations)] });
  }
  return bullets.length > 0 ? { answer: { bullets }, route: 'prose' } : undefined;
}
