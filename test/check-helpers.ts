import { expect } from 'vitest';
import { checkDerivation } from '../src/check/check.js';
import type { CheckReport } from '../src/check/report.js';
import { checkSetting, type CheckSetting } from '../src/check/truth.js';
import type { ActivationName } from '../src/linalg/backend.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Random } from '../src/random.js';
import { randomMatrix } from '../src/reference/random-matrix.js';

/** A network of these cycles, output activation and link bias (seed 1) and a batch of 4 samples uniform in [0, 1) (seed 2). */
export function setting(cycles = 2, outputActivation: ActivationName = 'relu', linkBias = false, dtype: 'float32' | 'float64' = 'float64'): CheckSetting {
  const net = new RecLinkNet({ seed: 1, cycles, outputActivation, linkBias }, { dtype });
  return checkSetting(net, randomMatrix(4, net.config.inputSize, Random.fromSeed(2), dtype, 0, 1));
}

/** A right derivation for T = 2 and a ReLU output, written by hand (not by `exampleDerivation`). */
export const RIGHT_T2 = `# rows are samples
G_Y = 2 * (Y - X)
d_out = G_Y .* drelu(A_out)
dW_out = d_out' * S
db_out = sum(d_out, 1)
G_S = d_out * W_out
d_link = G_S .* drelu(A_link)
dW_link = d_link' * X_red
d_rec2 = G_S .* drelu(A_rec2)
d_rec1 = (d_rec2 * W_rec) .* drelu(A_rec1)
dW_rec = d_rec2' * (Z_in + Z_rec1) + d_rec1' * Z_in
db_rec = sum(d_rec2, 1) + sum(d_rec1, 1)
G_in = (d_rec1 + d_rec2) * W_rec
d_in = G_in .* drelu(A_in)
dW_in = d_in' * X
db_in = sum(d_in, 1)
`;

/** `text` with the line that assigns `name` replaced by `name = expression`. */
export function replaceLine(text: string, name: string, expression: string): string {
  const pattern = new RegExp(`^${name} = .*$`, 'm');
  expect(text, `the derivation assigns ${name}`).toMatch(pattern);
  return text.replace(pattern, `${name} = ${expression}`);
}

/** The report, which must not be an error. */
export function checked(text: string, on: CheckSetting): CheckReport {
  const report = checkDerivation(text, on);
  expect(report.error, JSON.stringify(report.error)).toBeNull();
  return report;
}

/** The diagnosis of gradient `name`, which must be wrong. */
export function diagnosisOf(report: CheckReport, name: string): string {
  const gradient = report.gradients.find((g) => g.name === name);
  expect(gradient?.ok, `${name} is judged wrong`).toBe(false);
  return gradient?.diagnosis ?? '';
}

/** The names of the wrong gradients. */
export function wrongGradients(report: CheckReport): string[] {
  return report.gradients.filter((g) => !g.ok).map((g) => g.name);
}
