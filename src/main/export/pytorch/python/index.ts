/** The Python modules of the generated project, by file name. */
import { AUGMENT_PY } from './augment';
import { BANK_METHODS_PY } from './bank-methods';
import { DATA_PY } from './data';
import { DISTRIBUTED_PY } from './distributed';
import { EXPORT_ONNX_PY } from './export-onnx';
import { LOSSES_PY } from './losses';
import { METHODS_PY } from './methods';
import { MODELS_PY } from './models';
import { OPTIM_PY } from './optim';
import { PAIR_METHODS_PY } from './pair-methods';
import { TRAIN_PY } from './train';

export const PYTHON_FILES: Readonly<Record<string, string>> = {
  'augment.py': AUGMENT_PY,
  'bank_methods.py': BANK_METHODS_PY,
  'data.py': DATA_PY,
  'distributed.py': DISTRIBUTED_PY,
  'export_onnx.py': EXPORT_ONNX_PY,
  'losses.py': LOSSES_PY,
  'methods.py': METHODS_PY,
  'models.py': MODELS_PY,
  'optim.py': OPTIM_PY,
  'pair_methods.py': PAIR_METHODS_PY,
  'train.py': TRAIN_PY,
};
