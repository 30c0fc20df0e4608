import { formatNumber } from './view-data.js';

/** Where a checkpoint's training stood when it was saved, as far as its metadata says. */
export interface CheckpointOrigin {
  step: number | null;
  epoch: number | null;
}

/**
 * The step and epoch a checkpoint was saved at: the lab writes `step` and `epoch`;
 * `reclink train` writes its trainer's state (`globalStep`, `epochsDone`) as `trainer`.
 * Unknown (null) for other files.
 */
export function checkpointOrigin(metadata: Readonly<Record<string, string>>): CheckpointOrigin {
  const count = (value: unknown): number | null => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : null);
  if (metadata.trainer !== undefined) {
    try {
      const trainer: unknown = JSON.parse(metadata.trainer);
      if (typeof trainer === 'object' && trainer !== null) {
        const { globalStep, epochsDone } = trainer as Record<string, unknown>;
        return { step: count(globalStep), epoch: count(epochsDone) };
      }
    } catch {
      // Not JSON: the origin is unknown, the weights are still good.
    }
  }
  const number = (text: string | undefined): number | null => (text === undefined || text.trim() === '' ? null : count(Number(text)));
  return { step: number(metadata.step), epoch: number(metadata.epoch) };
}

/** What the page says once a checkpoint has loaded: the file, where it was saved, its validation loss here, and that the count starts over. */
export function loadedMessage(file: string, origin: CheckpointOrigin, validationLoss: number): string {
  const where = [origin.step === null ? null : `step ${origin.step.toLocaleString('en-US')}`, origin.epoch === null ? null : `epoch ${origin.epoch}`].filter((part) => part !== null);
  const saved = where.length === 0 ? '' : `, saved at ${where.join(', ')}`;
  return `Loaded ${file}${saved}: validation loss ${formatNumber(validationLoss)} on this data. The lab counts from step 0 again and the chart starts over.`;
}
