// How a Mesos master turns a request body into JSON and a protobuf message, with the errors it answers: stout's
// JSON::parse over picojson (3rdparty/stout/include/stout/json.hpp) and protobuf::parse<T>
// (stout/protobuf.hpp), as of Mesos 0.25–1.x. Only what the maintenance endpoints need.

/** The parsed value, or stout's error text (which the endpoints answer with 400 Bad Request). */
export type Parsed<T> =
  { readonly value: T; readonly error?: undefined } | { readonly value?: undefined; readonly error: string };

/**
 * Where picojson stops on malformed text: the offset of the first character that cannot continue a JSON value.
 * picojson reports "syntax error at line N near: <rest of that line>" from there.
 */
function scan(text: string): { readonly errorAt?: number; readonly end: number } {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    for (const word of ["true", "false", "null"]) {
      if (c === word[0]) {
        i++;
        for (const ch of word.slice(1)) {
          if (text[i] !== ch) fail();
          i++;
        }
        return;
      }
    }
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) return void (i += number[0].length);
    fail();
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    return { end: i };
  } catch (at) {
    return { errorAt: at as number, end: at as number };
  }
}

/** stout's `JSON::parse<T>` of a request body, T being an object or an array. */
export function parseJsonBody(text: string, expect: "object" | "array"): Parsed<unknown> {
  const { errorAt: at, end } = scan(text);
  if (at !== undefined) {
    const line = text.slice(0, at).split("\n").length;
    const rest = text.slice(at).split("\n")[0] as string;
    return { error: `syntax error at line ${line} near: ${rest}` };
  }
  // picojson stops after the first value; stout refuses what follows it.
  const trailing = text.slice(end).trim();
  if (trailing !== "") return { error: `Parsed JSON included non-whitespace trailing characters: ${trailing}` };
  const value: unknown = JSON.parse(text);
  const isArray = Array.isArray(value);
  const isObject = typeof value === "object" && value !== null && !isArray;
  if ((expect === "array" && !isArray) || (expect === "object" && !isObject)) {
    return { error: "Unexpected JSON type parsed" };
  }
  return { value };
}

/** A protobuf message's fields, in field-number order: the type of each and whether it is required or repeated. */
export interface MessageSchema {
  readonly [field: string]: {
    readonly type: "string" | "int64" | MessageSchema;
    readonly rule: "required" | "optional" | "repeated";
  };
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "object") return "object";
  return typeof value; // string, number, boolean
}

/** Fills `into` from a JSON object as stout's protobuf parser does; returns its error text on a mismatch. */
function fill(
  schema: MessageSchema,
  object: Record<string, unknown>,
  into: Record<string, unknown>,
): string | undefined {
  // stout walks the JSON object's keys in std::map (sorted) order and ignores keys that are not fields.
  for (const key of Object.keys(object).sort()) {
    const field = schema[key];
    if (!field) continue;
    const value = object[key];
    const items = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && field.rule !== "repeated") return `Not expecting a JSON array for field '${key}'`;
    for (const item of items) {
      const kind = jsonKind(item);
      let parsed: unknown;
      if (typeof field.type === "object") {
        if (kind !== "object") return `Not expecting a JSON ${kind} for field '${key}'`;
        const inner: Record<string, unknown> = {};
        const error = fill(field.type, item as Record<string, unknown>, inner);
        if (error) return error;
        parsed = inner;
      } else if (field.type === "string") {
        if (kind !== "string") return `Not expecting a JSON ${kind} for field '${key}'`;
        parsed = item;
      } else {
        if (kind !== "number") return `Not expecting a JSON ${kind} for field '${key}'`;
        parsed = item;
      }
      if (field.rule === "repeated") ((into[key] ??= []) as unknown[]).push(parsed);
      else into[key] = parsed;
    }
  }
  return undefined;
}

/** protobuf's InitializationErrorString: every missing required field, as a dotted path with [i] for repeated ones. */
function missingFields(schema: MessageSchema, message: Record<string, unknown>, prefix = ""): string[] {
  const missing: string[] = [];
  for (const [name, field] of Object.entries(schema)) {
    const value = message[name];
    if (value === undefined) {
      if (field.rule === "required") missing.push(`${prefix}${name}`);
      continue;
    }
    if (typeof field.type !== "object") continue;
    const nested = field.type;
    if (field.rule === "repeated") {
      (value as Record<string, unknown>[]).forEach((item, i) =>
        missing.push(...missingFields(nested, item, `${prefix}${name}[${i}].`)),
      );
    } else missing.push(...missingFields(nested, value as Record<string, unknown>, `${prefix}${name}.`));
  }
  return missing;
}

/** stout's `protobuf::parse<T>(JSON::Object)`. */
export function parseMessage<T>(schema: MessageSchema, json: unknown): Parsed<T> {
  if (jsonKind(json) !== "object") return { error: "Expecting a JSON object" };
  const message: Record<string, unknown> = {};
  const error = fill(schema, json as Record<string, unknown>, message);
  if (error) return { error };
  const missing = missingFields(schema, message);
  if (missing.length > 0) return { error: `Missing required fields: ${missing.join(", ")}` };
  return { value: message as T };
}

/** stout's `protobuf::parse<RepeatedPtrField<T>>(JSON::Array)`. */
export function parseMessages<T>(schema: MessageSchema, json: unknown): Parsed<T[]> {
  if (!Array.isArray(json)) return { error: "Expecting a JSON array" };
  const messages: T[] = [];
  for (const item of json) {
    const parsed = parseMessage<T>(schema, item);
    if (parsed.error !== undefined) return { error: parsed.error };
    messages.push(parsed.value as T);
  }
  return { value: messages };
}
