/**
 * Run profiles. `GAN_PROFILE=quick` is the CI smoke size (each notebook ≤ 2 min on a 2-core CPU);
 * `default` is chosen per backend (CPU: ≤ 20 min per notebook with meaningful results; GPU: the
 * papers' settings). Notebooks and the CLI read the profile here, never from the env directly.
 */
export const PROFILE_NAMES = ['quick', 'default'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** The active profile from `GAN_PROFILE` (unset or empty → `default`); throws on unknown names. */
export function profileName(env: NodeJS.ProcessEnv = process.env): ProfileName {
  const raw = (env.GAN_PROFILE ?? '').trim().toLowerCase();
  if (raw === '') return 'default';
  if ((PROFILE_NAMES as readonly string[]).includes(raw)) return raw as ProfileName;
  throw new Error(`Unknown GAN_PROFILE "${env.GAN_PROFILE}". Expected one of: ${PROFILE_NAMES.join(', ')}.`);
}

/** Pick a value per profile and device class: `pick({ quick: 1, cpu: 20, gpu: 100 }, gpu)`. */
export function pickByProfile<T>(
  values: { quick: T; cpu: T; gpu: T },
  gpu: boolean,
  profile = profileName(),
): T {
  if (profile === 'quick') return values.quick;
  return gpu ? values.gpu : values.cpu;
}
