// The operators' command line: the commands and their dispatch (gomomo.ts is the executable).
import { doctorCommand } from './doctor-command.js';
import { keyCommand } from './key-command.js';
import { migrateCommand } from './migrate-command.js';
import { secretsCommand } from './secrets-command.js';
import { exitCode, UsageError, type Command, type CommandContext } from './run.js';
import { tenantCommand } from './tenant-command.js';

const staffCommand: Command = {
  help: `gomomo staff invite — not available yet.

Staff accounts need the staff console, which gomomo does not have yet. Until then operators act with
ADMIN_SECRET (the admin API) and tenants with their secret keys (gomomo key create).
Exit code: 2.`,
  run: async () => {
    throw new UsageError('staff invite is not available yet: there is no staff console (see gomomo staff --help)');
  },
};

/** The commands by name. */
export const commands: Record<string, Command> = { migrate: migrateCommand, tenant: tenantCommand, key: keyCommand, doctor: doctorCommand, staff: staffCommand, secrets: secretsCommand };

const overview = `gomomo <command> [options]   (DATABASE_URL or --database-url names the database)

Commands:
  migrate   apply the database migrations, or --print them
  tenant    create a tenant with its first keys
  key       create, revoke or list a tenant's API keys
  doctor    check the database, schema, role, LISTEN, outbox, queue and clock
  staff     invite staff (not available yet: no staff console)
  secrets   rotate: re-encrypt stored secrets under the newest GOMOMO_ENCRYPTION_KEYS key

Every command takes --help, and --json for one line of JSON on stdout.
Exit codes: 0 ok, 1 a command or check failed, 2 usage.`;

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export async function runCli(argv: string[], context: Omit<CommandContext, 'argv'>): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? context.err : context.out)(overview);
    return name === undefined ? exitCode.usage : exitCode.ok;
  }
  const command = commands[name];
  if (!command) {
    context.err(`unknown command ${name}\n\n${overview}`);
    return exitCode.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    context.out(command.help);
    return exitCode.ok;
  }
  try {
    return await command.run({ ...context, argv: rest });
  } catch (error) {
    if (error instanceof UsageError) {
      context.err(`gomomo ${name}: ${error.message}\n\n${command.help}`);
      return exitCode.usage;
    }
    context.err(`gomomo ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return exitCode.failed;
  }
}
