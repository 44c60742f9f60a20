import { connectDatabase, type Database } from '@gomomo/core';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The flags every command takes. */
export const commonFlags = { help: { type: 'boolean' }, json: { type: 'boolean' }, 'database-url': { type: 'string' } } as const;

/** Exit codes every command keeps: scripts branch on them. */
export const exitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** A mistake in how the command was called: printed with the command's help, exit 2. */
export class UsageError extends Error {}

/** What a command gets: its own arguments, the environment, and where to write. */
export interface CommandContext {
  argv: string[];
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** One CLI command: its help text and what it does (returns the exit code). */
export interface Command {
  help: string;
  run(context: CommandContext): Promise<number>;
}

/** node's parseArgs (strict, positionals allowed) with unknown flags and missing values turned into a UsageError. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T): ReturnType<typeof parseArgs<{ args: string[]; options: T & typeof commonFlags; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options: { ...options, ...commonFlags }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The operator's database: --database-url or DATABASE_URL. Never the embedded one: an operator's
 * command that silently started a private Postgres would "succeed" against the wrong database.
 */
export async function openDatabase(flags: { 'database-url'?: string | undefined }, env: CommandContext['env']): Promise<Database> {
  const databaseUrl = flags['database-url'] ?? env.DATABASE_URL;
  if (!databaseUrl) throw new UsageError('set DATABASE_URL or pass --database-url postgres://…');
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError('the database URL must start with postgres://');
  return connectDatabase({ databaseUrl, max: 3, applicationName: 'gomomo-cli' });
}

/** Writes `value` as one JSON line (for --json) or as the human text. */
export function print(context: CommandContext, options: { json: boolean | undefined; value: unknown; text: string }): void {
  context.out(options.json ? JSON.stringify(options.value) : options.text);
}
