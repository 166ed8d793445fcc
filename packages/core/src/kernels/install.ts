// Placeholder replaced by the real gradient registrations (conv2d / depthwise from forward ops).
export function installKernelFixes(): string[] {
  return [];
}
