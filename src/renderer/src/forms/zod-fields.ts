/**
 * Form fields read from the shared zod schemas, so the designer and the augmentation tuner offer
 * exactly the choices and bounds the main process validates with (no second copy of the rules).
 * Constraints come from zod 4's public `z.toJSONSchema()` (the input side: what a user types), not
 * from zod's internals.
 */
import { z } from 'zod';

export type FieldKind = 'number' | 'integer' | 'pair' | 'enum' | 'boolean' | 'numbers' | 'text';

export interface FieldDescription {
  key: string;
  kind: FieldKind;
  /** Bounds of the value (of each end for pairs, of each item for number lists). */
  min?: number;
  max?: number;
  /** `min` itself is not allowed (`.positive()`, `.min(Number.MIN_VALUE)`): values must exceed it. */
  exclusiveMin?: boolean;
  integer?: boolean;
  options?: readonly string[];
  defaultValue?: unknown;
  optional: boolean;
}

/** The part of a JSON Schema (draft 2020-12) the forms read. */
interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: JsonSchema | boolean;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  // Transforms and the like have no JSON form; they become `{}` (not editable) instead of throwing.
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** `T | null` → T (and whether null was allowed). */
function withoutNull(json: JsonSchema): { json: JsonSchema; nullable: boolean } {
  const options = json.anyOf?.filter((o) => o.type !== 'null');
  if (json.anyOf && options?.length === 1 && options.length < json.anyOf.length) {
    const inner = options[0]!;
    return {
      json: 'default' in json ? { ...inner, default: json.default } : inner,
      nullable: true,
    };
  }
  return { json, nullable: false };
}

function numberBounds(
  json: JsonSchema,
): Pick<FieldDescription, 'min' | 'max' | 'integer' | 'exclusiveMin'> {
  const out: Pick<FieldDescription, 'min' | 'max' | 'integer' | 'exclusiveMin'> = {
    integer: json.type === 'integer',
  };
  // "Strictly positive" — `.positive()` (an exclusive minimum 0) or `.min(Number.MIN_VALUE)` — shows
  // 0 as the slider's end.
  const min = json.minimum ?? json.exclusiveMinimum;
  if (typeof min === 'number' && Number.isFinite(min)) out.min = min === Number.MIN_VALUE ? 0 : min;
  if (out.min !== undefined && (json.minimum === undefined || min === Number.MIN_VALUE))
    out.exclusiveMin = true;
  if (typeof json.maximum === 'number' && Number.isFinite(json.maximum)) out.max = json.maximum;
  return out;
}

const isNumber = (json: JsonSchema | boolean | undefined): json is JsonSchema =>
  typeof json === 'object' && (json.type === 'number' || json.type === 'integer');

/** One property of an object's JSON Schema as a form field, or null for shapes the forms do not edit. */
function fromJson(key: string, property: JsonSchema, required: boolean): FieldDescription | null {
  const { json, nullable } = withoutNull(property);
  const optional = nullable || (!required && !('default' in json));
  const base = {
    key,
    optional,
    ...(json.default !== undefined ? { defaultValue: json.default } : {}),
  };
  // A literal (a union's tag such as `op` or `method`) is fixed, not edited.
  if ('const' in json) return null;
  if (json.enum) {
    if (!json.enum.every((o) => typeof o === 'string') || json.enum.length < 2) return null;
    return { ...base, kind: 'enum', options: json.enum as string[] };
  }
  switch (json.type) {
    case 'number':
    case 'integer': {
      const bounds = numberBounds(json);
      return { ...base, kind: bounds.integer ? 'integer' : 'number', ...bounds };
    }
    case 'array': {
      if (json.prefixItems) {
        const [first] = json.prefixItems;
        if (json.prefixItems.length !== 2 || !isNumber(first)) return null;
        return { ...base, kind: 'pair', ...numberBounds(first) };
      }
      return isNumber(json.items)
        ? { ...base, kind: 'numbers', ...numberBounds(json.items) }
        : null;
    }
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'string':
      return { ...base, kind: 'text' };
    default:
      return null;
  }
}

/** Describe one field, or null for shapes the forms do not edit (objects, literals…). */
export function describeField(key: string, schema: z.ZodType): FieldDescription | null {
  const object = jsonSchemaOf(z.object({ [key]: schema }));
  const property = object.properties?.[key];
  return property ? fromJson(key, property, object.required?.includes(key) ?? false) : null;
}

/** The editable fields of an object schema, in declaration order, minus `skip`. */
export function describeObject(
  schema: z.ZodType,
  skip: readonly string[] = [],
): FieldDescription[] {
  const object = withoutNull(jsonSchemaOf(schema)).json;
  const required = object.required ?? [];
  return Object.entries(object.properties ?? {})
    .filter(([key]) => !skip.includes(key))
    .map(([key, property]) => fromJson(key, property, required.includes(key)))
    .filter((f): f is FieldDescription => f !== null);
}

/** A slider step for a bounded field: 1 for integers, else about a hundredth of the range. */
export function sliderStep(field: FieldDescription): number {
  if (field.integer) return 1;
  const span = (field.max ?? 1) - (field.min ?? 0);
  return 10 ** Math.floor(Math.log10(span / 100 || 0.01));
}

/**
 * Where a field's slider stops: the schema's bounds, one step inside an exclusive minimum (a
 * slider can then never produce a value the schema refuses).
 */
export function sliderBounds(field: FieldDescription): { min: number; max: number } {
  const min = field.min ?? 0;
  const max = field.max ?? min;
  return { min: field.exclusiveMin ? Math.min(max, min + sliderStep(field)) : min, max };
}

/** Whether a slider helps: both bounds known and a span a hand can sweep. */
export function wantsSlider(field: FieldDescription): boolean {
  return field.min !== undefined && field.max !== undefined && field.max - field.min <= 400;
}

/** `learningRate` → "learning rate", `maxStepsPerEpoch` → "max steps per epoch". */
export function fieldLabel(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
