/**
 * Accumulates the nodes and initializers of one ONNX graph while layers are translated, handing out
 * unique value names. Floats are stored as little-endian `raw_data` (TensorProto's compact form).
 */
import {
  ATTR_FLOAT,
  ATTR_FLOATS,
  ATTR_INT,
  ATTR_INTS,
  ATTR_STRING,
  ONNX_FLOAT,
  ONNX_INT64,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
} from './schema';

export type AttributeValue = number | number[] | string | { float: number } | { floats: number[] };

function littleEndianBytes(view: Float32Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(view.byteLength);
  const out = new DataView(bytes.buffer);
  if (view instanceof Float32Array) view.forEach((v, i) => out.setFloat32(i * 4, v, true));
  else view.forEach((v, i) => out.setBigInt64(i * 8, v, true));
  return bytes;
}

/** Integers become INT/INTS, `{ float }` / `{ floats }` FLOAT/FLOATS, strings STRING. */
function attribute(name: string, value: AttributeValue): AttributeProto {
  if (typeof value === 'string') return { name, type: ATTR_STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') return { name, type: ATTR_INT, i: value };
  if (Array.isArray(value)) return { name, type: ATTR_INTS, ints: value };
  if ('float' in value) return { name, type: ATTR_FLOAT, f: value.float };
  return { name, type: ATTR_FLOATS, floats: value.floats };
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();

  /** `base` if still free, otherwise `base_1`, `base_2`, … */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserve a name chosen elsewhere (graph inputs) so no node output can take it. */
  reserve(name: string): void {
    if (this.used.has(name)) throw new Error(`ONNX value name "${name}" is already taken`);
    this.used.add(name);
  }

  addFloat(base: string, dims: number[], values: Float32Array): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (values.length !== expected) throw new Error(`initializer ${base}: ${values.length} values for shape [${dims.join(', ')}]`);
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims, dataType: ONNX_FLOAT, rawData: littleEndianBytes(values) });
    return name;
  }

  addInt64(base: string, values: number[]): string {
    const name = this.uniqueName(base);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [values.length], dataType: ONNX_INT64, rawData: littleEndianBytes(data) });
    return name;
  }

  /** Adds a node with one output named after `outputBase`; returns the output's name. */
  addNode(opType: string, inputs: string[], outputBase: string, attributes: Record<string, AttributeValue> = {}): string {
    const output = this.uniqueName(outputBase);
    this.nodes.push({
      name: this.uniqueName(`${outputBase}/${opType}`),
      opType,
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }
}
