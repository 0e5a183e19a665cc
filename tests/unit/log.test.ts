import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';

const TOKEN = 'MTIzNDU2Nzg5MDEy.GaBcDe.discord-token-value_0123456789';
const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpzZWNyZXQ';

function capture() {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) }, [TOKEN, KEY]);
  return { logger, text: () => lines.join('') };
}

describe('the logger', () => {
  it('redacts the configured token and key wherever they stand: message, stack, nested upstream error', () => {
    const { logger, text } = capture();
    // An upstream 401 that echoes the key, as the OpenAI SDK's errors do.
    const err = Object.assign(new Error(`401 Incorrect API key provided: ${KEY}`), {
      error: { message: `Incorrect API key provided: ${KEY}` },
    });
    logger.error({ err }, 'model request failed');
    logger.info(`logging in with ${TOKEN}`);
    logger.warn({ config: { note: `Bot ${TOKEN}` } }, 'odd');
    const out = text();
    expect(out).not.toContain(KEY);
    expect(out).not.toContain(TOKEN);
    expect(out).toContain('[redacted]');
    expect(out).toContain('Incorrect API key provided');
  });

  it('redacts interaction and webhook tokens in URLs, keeping the ids', () => {
    const { logger, text } = capture();
    const err = Object.assign(new Error('Unknown interaction'), {
      url: `https://discord.com/api/v10/interactions/123456789012345678/${INTERACTION_TOKEN}/callback`,
    });
    logger.error({ err }, 'reply failed');
    logger.warn(`POST /webhooks/987654321098765432/${INTERACTION_TOKEN}/messages/@original failed`);
    const out = text();
    expect(out).not.toContain(INTERACTION_TOKEN);
    expect(out).toContain('/interactions/123456789012345678/[redacted]/callback');
    expect(out).toContain('/webhooks/987654321098765432/[redacted]/messages/@original');
  });
});
