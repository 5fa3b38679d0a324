/**
 * Form fields read from the shared zod schemas, so the designer and the augmentation tuner offer
 * exactly the choices and bounds the main process validates with (no second copy of the rules).
 */
import type { z } from 'zod';

export type FieldKind = 'number' | 'integer' | 'pair' | 'enum' | 'boolean' | 'numbers' | 'text';

export interface FieldDescription {
  key: string;
  kind: FieldKind;
  /** Bounds of the value (of each end for pairs, of each item for number lists). */
  min?: number;
  max?: number;
  integer?: boolean;
  options?: readonly string[];
  defaultValue?: unknown;
  optional: boolean;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  items?: z.ZodType[];
  element?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/** Strip `.default()` / `.optional()` wrappers, remembering the outermost default. */
export function unwrap(schema: z.ZodType): {
  inner: z.ZodType;
  defaultValue?: unknown;
  optional: boolean;
} {
  let inner = schema;
  let defaultValue: unknown;
  let hasDefault = false;
  let optional = false;
  for (;;) {
    const def = defOf(inner);
    if (def.type === 'default' && def.innerType) {
      if (!hasDefault) {
        defaultValue = def.defaultValue;
        hasDefault = true;
      }
      inner = def.innerType;
    } else if ((def.type === 'optional' || def.type === 'nullable') && def.innerType) {
      optional = true;
      inner = def.innerType;
    } else break;
  }
  return hasDefault ? { inner, defaultValue, optional } : { inner, optional };
}

function numberBounds(schema: z.ZodType): Pick<FieldDescription, 'min' | 'max' | 'integer'> {
  const n = schema as unknown as {
    minValue: number | null;
    maxValue: number | null;
    isInt: boolean;
  };
  const out: Pick<FieldDescription, 'min' | 'max' | 'integer'> = { integer: Boolean(n.isInt) };
  // Number.MIN_VALUE stands for "strictly positive": the form shows 0 as the slider's end.
  if (typeof n.minValue === 'number' && Number.isFinite(n.minValue))
    out.min = n.minValue === Number.MIN_VALUE ? 0 : n.minValue;
  if (typeof n.maxValue === 'number' && Number.isFinite(n.maxValue)) out.max = n.maxValue;
  return out;
}

/** Describe one field, or null for shapes the forms do not edit (objects, literals…). */
export function describeField(key: string, schema: z.ZodType): FieldDescription | null {
  const { inner, defaultValue, optional } = unwrap(schema);
  const def = defOf(inner);
  const base = { key, optional, ...(defaultValue !== undefined ? { defaultValue } : {}) };
  switch (def.type) {
    case 'number': {
      const bounds = numberBounds(inner);
      return { ...base, kind: bounds.integer ? 'integer' : 'number', ...bounds };
    }
    case 'tuple': {
      const first = def.items?.[0];
      if (def.items?.length !== 2 || !first || defOf(first).type !== 'number') return null;
      return { ...base, kind: 'pair', ...numberBounds(first) };
    }
    case 'array': {
      const element = def.element ? unwrap(def.element).inner : undefined;
      if (!element || defOf(element).type !== 'number') return null;
      return { ...base, kind: 'numbers', ...numberBounds(element) };
    }
    case 'enum':
      return {
        ...base,
        kind: 'enum',
        options: (inner as unknown as { options: string[] }).options,
      };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'string':
      return { ...base, kind: 'text' };
    default:
      return null;
  }
}

/** The editable fields of an object schema, in declaration order, minus `skip`. */
export function describeObject(
  schema: z.ZodType,
  skip: readonly string[] = [],
): FieldDescription[] {
  const shape =
    (unwrap(schema).inner as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.entries(shape)
    .filter(([key]) => !skip.includes(key))
    .map(([key, field]) => describeField(key, field))
    .filter((f): f is FieldDescription => f !== null);
}

/** A slider step for a bounded field: 1 for integers, else about a hundredth of the range. */
export function sliderStep(field: FieldDescription): number {
  if (field.integer) return 1;
  const span = (field.max ?? 1) - (field.min ?? 0);
  return 10 ** Math.floor(Math.log10(span / 100 || 0.01));
}

/** Whether a slider helps: both bounds known and a span a hand can sweep. */
export function wantsSlider(field: FieldDescription): boolean {
  return field.min !== undefined && field.max !== undefined && field.max - field.min <= 400;
}

/** `learningRate` → "learning rate", `maxStepsPerEpoch` → "max steps per epoch". */
export function fieldLabel(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
