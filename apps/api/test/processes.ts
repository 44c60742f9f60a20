import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@gomomo/embedded-postgres';

export const apiDir = fileURLToPath(new URL('../', import.meta.url));

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Runs apps/api as a real child process (as `pnpm start` does) and waits for its ready line. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await findFreePort();
  const started = await startChild('src/main.ts', 'gomomo ready at', { HOST: '127.0.0.1', PORT: String(port), ...env });
  return { url: `http://127.0.0.1:${port}`, ...started };
}

/** Runs the worker (`pnpm worker`) as a real child process and waits for its running line. */
export async function startWorkerProcess(env: Record<string, string>): Promise<Omit<ApiProcess, 'url'>> {
  return startChild('src/worker.ts', 'gomomo worker running', env);
}

async function startChild(entry: string, readyLine: string, env: Record<string, string>): Promise<Omit<ApiProcess, 'url'>> {
  // Node itself (with tsx as a loader), so SIGTERM reaches our handler and the exit code is ours.
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', entry], {
    cwd: apiDir,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      output += String(error);
      resolve(null);
    });
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start in 45 s:\n${output}`)), 45_000);
    const check = () => {
      if (output.includes(readyLine)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`${entry} exited with ${code}:\n${output}`)));
  });
  return {
    child,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
