/** One invalid or missing setting: the key, the source that set it, and how to fix it. */
export interface ConfigProblem {
  key: string;
  source: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.key} (${p.source}): ${p.message}`;
}

/** The configuration cannot start the app. Carries every problem found, not just the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration:\n- ${problems.map(formatProblem).join('\n- ')}`);
  }
}
