/** Domain packages log through this interface, so they run the same from an action, a CLI or a test. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warning() {} };

export const consoleLogger: Logger = {
  debug: (m) => {
    if (process.env.RUNNER_DEBUG === '1') console.error(`debug: ${m}`);
  },
  info: (m) => console.log(m),
  warning: (m) => console.error(`warning: ${m}`),
};

/** The same logger, with its warnings prefixed (`<action>: …`), as the action's errors are. */
export function prefixWarnings(logger: Logger, prefix: string): Logger {
  return { ...logger, warning: (m) => logger.warning(`${prefix}: ${m}`) };
}
