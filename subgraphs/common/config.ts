import { z } from 'zod';

/**
 * Validate the environment once at start. Every problem gets its own readable line, and the process exits
 * before listening, so a typo in a variable never turns into a half-working server.
 */
export function loadConfig<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** MOCK_SEED / MOCK_SCALE: the same pair yields the same dataset in every process on every machine. */
export const mockDatasetEnv = {
  MOCK_SEED: z.coerce.number().int().default(42),
  MOCK_SCALE: z.coerce.number().int().min(1).max(200_000).default(200),
};
