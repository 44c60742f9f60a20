import { parseEncryptionKeys, rotateSecrets } from '@gomomo/core';
import { exitCode, openDatabase, parseFlags, print, UsageError, type Command } from './run.js';

export const secretsCommand: Command = {
  help: `gomomo secrets rotate [--json] [--batch-size N]

Re-encrypts every stored secret (calendar refresh tokens) under the first key of
GOMOMO_ENCRYPTION_KEYS. To rotate: put the new key first and keep the old one after it
(GOMOMO_ENCRYPTION_KEYS=new:…,old:…), restart the API, run this, then remove the old key.
Row by row with compare-and-swap, so it is safe while the API serves; stopped midway, run it again.
Fails, naming the key id, when a stored secret needs a key that is not configured.
--json prints {"rotated":N,"raced":N,"remaining":N}.
Exit codes: 0 every secret is under the newest key, 1 failed or some remain, 2 usage.`,
  async run(context) {
    const { values, positionals } = parseFlags(context.argv, { 'batch-size': { type: 'string' } });
    if (positionals[0] !== 'rotate' || positionals.length > 1) throw new UsageError(positionals[0] ? `unknown subcommand ${positionals.slice(0, 2).join(' ')}` : 'say what to do: gomomo secrets rotate');
    const batchSize = values['batch-size'] === undefined ? 100 : Number(values['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch-size takes a whole number from 1 to 10000');
    let keyring;
    try {
      keyring = parseEncryptionKeys(context.env.GOMOMO_ENCRYPTION_KEYS);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (keyring.ids.length === 0) throw new UsageError('GOMOMO_ENCRYPTION_KEYS is not set: list the new key first, then the old ones (new:base64,old:base64)');
    const db = await openDatabase(values, context.env);
    try {
      const result = await rotateSecrets(db.pool, keyring, { batchSize });
      print(context, {
        json: values.json,
        value: result,
        text: `rotated ${result.rotated} secret(s) to key "${keyring.ids[0]}"; ${result.remaining} remain under older keys${result.raced > 0 ? ` (${result.raced} changed meanwhile)` : ''}`,
      });
      return result.remaining === 0 ? exitCode.ok : exitCode.failed;
    } finally {
      await db.close();
    }
  },
};
