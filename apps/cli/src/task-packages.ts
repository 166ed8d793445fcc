/**
 * Task packages register themselves (tasks + CLI verbs) in @dlkit/core's task registry when
 * imported. This is the one place that imports them; everything else reads the registry.
 */
export async function loadTaskPackages(): Promise<void> {
  // Imported lazily so `dlkit doctor` and friends do not pay for every task package's load time.
  await Promise.all([import('@dlkit/rl'), import('@dlkit/vision'), import('@dlkit/text'), import('@dlkit/recommenders'), import('@dlkit/speech'), import('@dlkit/generative')]);
}
