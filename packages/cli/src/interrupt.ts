/**
 * Ctrl-C handling for long work: the first SIGINT/SIGTERM aborts the returned signal (the
 * trainer stops after the current step and writes a checkpoint); a second one exits at
 * once with code 130. `dispose` removes the handlers.
 */
export function interruptSignal(onFirst?: () => void): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) process.exit(130);
    onFirst?.();
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
