/**
 * The layer order of src/main, written once (docs/architecture.md shows the same list).
 *
 * Each entry is one layer, bottom first; a layer may import from layers before it and, inside itself,
 * only from its own folder (leaf utilities on one level do not import one another). `npm run lint`
 * runs this through dependency-cruiser; type-only imports count, and so does any import cycle.
 */
const LAYERS = [
  ['shared'],
  ['files', 'resources'],
  ['compute', 'store', 'workspace', 'workers', 'version', 'random', 'specs'],
  ['data'],
  ['augment'],
  ['ssl'],
  ['export'],
  ['engine'],
  ['services'],
  ['server', 'ipc'],
  ['cli'],
  ['window'],
  ['index'],
];

const folderPath = (name) => (name === 'shared' ? '^src/shared/' : `^src/main/${name}(/|\\.ts$)`);
const anyOf = (names) => `(${names.map(folderPath).join('|')})`;

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  return layer.map((name) => ({
    name: `layer-${name}`,
    comment: `${name} sits below ${above.join(', ') || 'nothing'}: imports go down only (docs/architecture.md → Layers)`,
    severity: 'error',
    from: { path: folderPath(name) },
    to: { path: anyOf([...above, ...layer.filter((other) => other !== name)]) },
  }));
}).filter((rule) => !rule.to.path.endsWith('()'));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'pytorch-plan-tensor-free',
      comment: 'The PyTorch plan reads the tensor-free specs (specs/), never a module that loads tfjs (docs/architecture.md).',
      severity: 'error',
      from: { path: '^src/main/export/pytorch/plan\\.ts$' },
      to: { path: '^src/main/compute/', reachable: true },
    },
    {
      name: 'no-circular',
      comment: 'No import cycle in src (type-only imports count).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] },
  },
};
