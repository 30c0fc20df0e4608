import { describe, expect, it } from 'vitest';
import { checkpointOrigin, loadedMessage } from '../src/lab/checkpoint-origin.js';

describe('where a loaded checkpoint was saved', () => {
  it('reads the lab\u2019s step and epoch, and the command line\u2019s trainer state', () => {
    expect(checkpointOrigin({ source: 'reclink lab', step: '300', epoch: '2' })).toEqual({ step: 300, epoch: 2 });
    expect(checkpointOrigin({ trainer: JSON.stringify({ globalStep: 125, epochsDone: 1, stepInEpoch: 0 }) })).toEqual({ step: 125, epoch: 1 });
  });

  it('leaves what it cannot read unknown', () => {
    expect(checkpointOrigin({})).toEqual({ step: null, epoch: null });
    expect(checkpointOrigin({ step: '-1', epoch: 'x' })).toEqual({ step: null, epoch: null });
    expect(checkpointOrigin({ trainer: '{not json' })).toEqual({ step: null, epoch: null });
  });

  it('says the file, where it was saved, its validation loss, and that the count starts over', () => {
    expect(loadedMessage('a.safetensors', { step: 1200, epoch: null }, 0.8512)).toBe('Loaded a.safetensors, saved at step 1,200: validation loss 0.8512 on this data. The lab counts from step 0 again and the chart starts over.');
    expect(loadedMessage('torch.safetensors', { step: null, epoch: null }, 19)).toMatch(/^Loaded torch\.safetensors: validation loss 19 on this data\./);
  });
});
