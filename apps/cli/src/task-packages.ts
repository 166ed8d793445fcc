/**
 * Task packages register themselves (tasks + CLI verbs) in @dlkit/core's task registry when
 * imported. This is the one place that imports them; everything else reads the registry.
 */
export async function loadTaskPackages(): Promise<void> {
  // Task packages (vision, text, speech, recommenders, generative, rl) are added here as they land.
}
