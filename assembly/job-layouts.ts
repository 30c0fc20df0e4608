// Where each job's arguments sit in the job block: `index.ts` writes them (setInt, setPtr,
// setFlag: integer slots; setFloat: float slots) and `jobs.ts` reads them, both by these
// names. An enum per job and per kind of slot; the values are the slot numbers.

export enum GemmArg { A, ARow, ACol, B, C, N, K, Accumulate }
export enum GemmPartialArg { A, B, C, M, N, Accumulate, Partials }
export enum SumPartialsArg { C, Partials, Count, Parts }
export enum DotArg { A, B, C, N, K, Accumulate }
export enum DenseForwardArg { X, W, A, N, K, F, Bias, Z }
export enum DeltaInputGradientArg { F, A, Z, GradZ, Delta, Out, W, GradX, Inputs, Accumulate }
export enum ZeroArg { M }
export enum ActivateArg { F, A, Z }
export enum ActivationBackwardArg { F, A, Z, GradZ, Delta }
export enum AddArg { A, B, C }
export enum ScaleArg { M }
export enum ScaleFloat { S }
export enum AddRowVectorArg { C, Bias, Cols }
export enum ColumnSumsArg { A, Out, Rows, Cols, Accumulate }
export enum GatherArg { Src, SrcCols, Stride, Out, Cols }
export enum ScatterArg { Src, Cols, Stride, Dst, DstCols }
export enum SquaredErrorArg { Y, T }
export enum SquaredErrorGradientArg { Y, T, G }
export enum SquaredErrorGradientFloat { S }
export enum SumOfSquaresArg { M }
export enum SgdArg { W, G, B, Nesterov, First }
export enum SgdFloat { Lr, Decay, Momentum, Dampening }
export enum AdamArg { W, G, M, V }
export enum AdamFloat { Decay, Shrink, Beta1, Beta2, Eps, StepSize, SqrtCorrection2 }
