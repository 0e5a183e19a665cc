/**
 * Preloaded into a bot process by tests/e2e/main.test.ts (`--import`): on SIGUSR2, an error that
 * nothing catches is thrown, as a bug in a callback would throw one.
 */
process.on('SIGUSR2', () => {
  setImmediate(() => {
    throw new Error('uncaught test error');
  });
});
