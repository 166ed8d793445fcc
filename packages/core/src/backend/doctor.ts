import type { BackendReport } from './select.js';
export interface DoctorReport { backend: BackendReport }
export async function doctor(): Promise<DoctorReport> {
  const { selectBackend } = await import('./select.js');
  return { backend: await selectBackend() };
}
