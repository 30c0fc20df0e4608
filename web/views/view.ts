import type { CheckSetting } from '../../src/check/truth.js';
import type { ModelAnalysis } from '../../src/lab/analysis.js';
import type { DrawingResult } from '../../src/lab/pad.js';
import type { LabCommand, LabSnapshot, LabStatus } from '../../src/lab/protocol.js';
import type { SignDemo } from '../../src/lab/sign-demo.js';
import type { LossCurves } from '../../src/lab/loss-curves.js';

/** What the page knows, as the worker last reported it. */
export interface PageState {
  status: LabStatus | null;
  snapshot: LabSnapshot | null;
  curves: LossCurves;
  /** The codes map, dead outputs and error quantiles of recent weights, or null before any. */
  analysis: ModelAnalysis | null;
  /** What the network made of the last drawing, or null before any. */
  drawn: DrawingResult | null;
  /** The last validation digit asked for (the codes map's hover), or null. */
  digit: { index: number; label: number | null; input: Float32Array; output: Float32Array } | null;
  /** Results of the errata rows run so far, by row. */
  errata: Map<number, { effect: string; signDemo: SignDemo | null }>;
}

/** What a view may ask of the page. */
export interface PageActions {
  send(command: LabCommand): void;
  /** Shows another view by id. */
  show(id: string): void;
  /** The network and last batch the lab is showing, to check a derivation on (null before any data has loaded). */
  checkSetting(): Promise<{ setting: CheckSetting | null; step: number }>;
}

/** One tab of the lab. */
export interface View {
  id: string;
  /** The tab's label. */
  title: string;
  /** The panel shown under the tab. */
  panel: HTMLElement;
  /** Redraws from the state; called while the view is visible, after each change. */
  update(state: PageState): void;
}
