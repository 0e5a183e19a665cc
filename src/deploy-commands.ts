/** `npm run deploy-commands`: registers the slash commands (to DISCORD_GUILD_ID if set, else globally). */
import { existsSync } from 'node:fs';
import { REST } from 'discord.js';
import { commands } from '../commands/index.ts';
import { ConfigError, parseConfig } from './config.ts';
import { deployCommands, formatDeployReport } from './discord/deploy.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
try {
  const config = parseConfig(process.env);
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(
    config.DISCORD_TOKEN,
  );
  const report = await deployCommands({
    rest,
    appId: config.DISCORD_APP_ID,
    guildId: config.DISCORD_GUILD_ID,
    commands,
  });
  process.stdout.write(formatDeployReport(report));
} catch (err) {
  console.error(
    err instanceof ConfigError ? err.message : `Could not register the commands: ${(err as Error).message}`,
  );
  process.exitCode = 1;
}
