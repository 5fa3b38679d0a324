/**
 * `cwb export --format pytorch-project`: a self-contained Python project that trains the run's
 * experiment with PyTorch DistributedDataParallel (docs/pytorch-project.md). Pure generation from
 * the resolved experiment and the dataset's folder — no checkpoint, no engine call.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Experiment } from '../../../shared/schemas/experiment';
import { writeDirAtomic, type AtomicDirOptions } from '../../files/atomic-dir';
import { ONNX_FEATURES_NAME, ONNX_INPUT_NAME, ONNX_OPSET } from '../onnx/writer';
import { trainingPlan, type ResolvedForExport, type TrainingPlan } from './plan';
import { pythonFiles } from './project-files';
import { readme, requirementsTxt, runLocalSh } from './templates';

export { PYTORCH_METHODS, trainingPlan, untranslatable, viewPlans, jigsawPlan, encoderPlan, type JigsawPlan, type TrainingPlan, type ViewPlan } from './plan';

export interface PytorchProjectInput {
  resolved: ResolvedForExport;
  dataset: { id: number; name: string; rootPath: string; kind: string; imageSize: number; channels: number; classes: string[] };
  /** Images of the workbench's validation split, relative to rootPath with '/' separators. */
  valPaths: string[];
  source: { runId: number | null; experimentId: number | null; experimentName: string; workbenchVersion: string };
  /** The project is fed from the workbench's tensor cache (a PyTorch-engine run): any dataset kind trains. */
  feed?: boolean;
}

/** What config.json holds; train.py and export_onnx.py read it. */
export interface PytorchProjectConfig {
  format: 'cwb-pytorch-project';
  version: 1;
  source: PytorchProjectInput['source'];
  experiment: Experiment;
  dataset: PytorchProjectInput['dataset'];
  plan: TrainingPlan;
  onnx: { inputName: string; featuresName: string; opset: number };
  splits: { val: string[] };
}

export const EXECUTABLE_FILES: ReadonlySet<string> = new Set(['run_local.sh']);

/** Every file of the project, by relative path. Throws a WorkbenchError naming each untranslatable field. */
export function pytorchProjectFiles(input: PytorchProjectInput): Record<string, string> {
  const plan = trainingPlan(input.resolved, input.feed ? { kind: 'folder' } : input.dataset);
  const valPaths = [...input.valPaths].sort();
  const config: PytorchProjectConfig = {
    format: 'cwb-pytorch-project',
    version: 1,
    source: input.source,
    experiment: input.resolved.experiment,
    dataset: input.dataset,
    plan,
    onnx: { inputName: ONNX_INPUT_NAME, featuresName: ONNX_FEATURES_NAME, opset: ONNX_OPSET },
    splits: { val: valPaths },
  };
  return {
    ...pythonFiles(),
    'config.json': `${JSON.stringify(config, null, 2)}\n`,
    'requirements.txt': requirementsTxt(),
    'run_local.sh': runLocalSh(input.dataset.rootPath, plan.epochs),
    'README.md': readme({
      plan,
      experimentName: input.source.experimentName,
      datasetName: input.dataset.name,
      dataRoot: input.dataset.rootPath,
      runId: input.source.runId,
      experimentId: input.source.experimentId,
      channels: input.dataset.channels,
      valImages: valPaths.length,
    }),
  };
}

/** Writes the project into `outDir` all-or-nothing (atomic-dir rules); returns the file names. */
export async function writePytorchProject(outDir: string, input: PytorchProjectInput, opts: AtomicDirOptions = {}): Promise<string[]> {
  const files = pytorchProjectFiles(input);
  return writeDirAtomic(outDir, opts, async (dir) => {
    for (const [name, text] of Object.entries(files)) {
      const path = join(dir, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      if (EXECUTABLE_FILES.has(name)) await chmod(path, 0o755);
    }
    return Object.keys(files).sort();
  });
}
