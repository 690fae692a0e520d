// A component's settings as one property of its resource: the JSON text of every plain input but the few a reader of
// the engine's events or a reviewer looks for by name.
//
// The engine, the SDK and the provider each convert every leaf of a resource's inputs and outputs (protobuf's
// `Struct`) at each registration, check, diff and event; an agent's step carried about 30 input and 40 output leaves
// (its connection, flags, volumes, the masters and Marathons, the gate's settings), where the engine's floor has 3.
// Measured with no-op resources (issue 14), 403 resources of that shape previewed in 1.5× the time of 403 with one
// leaf, and in 1.03× with the same data as one JSON string. The Pulumi CLI shows a change of a JSON string as an
// object diff (`~ settings: (json) { flags: { ~ … } }`), so a preview still names each changed setting.
import { canonical } from "./component";
import type { ProviderImplementation } from "./dynamic";

/** The property that holds the packed settings. */
export const PACKED_KEY = "settings";

/**
 * Properties never packed: the engine's provider text, a resource's own key (a secret of its own), what a hop changes
 * (its version, shown by name in a preview) and what the run's events read by name (the planner's marks).
 */
const KEPT: ReadonlySet<string> = new Set([
  "__provider",
  "privateKey",
  "version",
  "targetVersion",
  "killsTasks",
  "restart",
]);

type Properties = Record<string, unknown>;

/** Whether `value` is plain JSON data (no Output, Promise, resource or secret): only such values are packed. */
function isPlainJson(value: unknown): boolean {
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value as object).every((v) => v === undefined || isPlainJson(v));
}

/** Packs `keys` of `props` (those present) into PACKED_KEY; the others stay as they are (pure). */
function packKeys(props: Properties, keys: readonly string[]): Properties {
  const present = keys.filter((key) => props[key] !== undefined);
  if (present.length === 0) return props;
  const rest = Object.fromEntries(Object.entries(props).filter(([key]) => !present.includes(key)));
  return { ...rest, [PACKED_KEY]: JSON.stringify(canonical(Object.fromEntries(present.map((k) => [k, props[k]])))) };
}

/**
 * A resource's arguments as the program registers them: every plain one but the kept ones packed; a secret or any
 * other Output stays a property of its own (an `env` with secret values keeps its own secrecy).
 */
export function packedArgs(args: Properties): Properties {
  if (PACKED_KEY in args) throw new Error(`"${PACKED_KEY}" is the packed settings' property, not an input`);
  return packKeys(
    args,
    Object.keys(args).filter((key) => !KEPT.has(key) && args[key] !== undefined && isPlainJson(args[key])),
  );
}

/** Properties as the engine gave them, unpacked, and the keys that were packed (none for a state from before). */
export function unpacked(props: Properties | undefined): { props: Properties; packedKeys: string[] } {
  const packed = props?.[PACKED_KEY];
  if (typeof packed !== "string") return { props: props ?? {}, packedKeys: [] };
  const settings = JSON.parse(packed) as Properties;
  const { [PACKED_KEY]: _packed, ...rest } = props as Properties;
  return { props: { ...rest, ...settings }, packedKeys: Object.keys(settings) };
}

/** The unpacked properties alone (a reader of events or of a state). */
export const unpackedProperties = (props: Properties | undefined): Properties => unpacked(props).props;

/**
 * A provider whose methods see every property unpacked, and whose results pack again what the engine's properties
 * had packed: a state written before any packing stays as it is until its resource is written again, and compares
 * equal to the same settings packed (no step is planned for the change of form).
 */
export function packedImplementation(implementation: ProviderImplementation): ProviderImplementation {
  const repack = <T extends Properties | undefined>(props: T, keys: readonly string[]): T =>
    (props === undefined ? props : packKeys(props, keys)) as T;
  return {
    configure: (request) => implementation.configure(request),
    async check(olds, news) {
      const fresh = unpacked(news);
      const result = await implementation.check(unpacked(olds).props, fresh.props);
      return { ...result, inputs: repack(result.inputs, fresh.packedKeys) };
    },
    async diff(id, olds, news) {
      const fresh = unpacked(news);
      const result = await implementation.diff(id, unpacked(olds).props, fresh.props);
      // A replacement names a property the engine's new inputs have: a packed one is the settings' change.
      const replaces = result.replaces?.map((key) => (fresh.packedKeys.includes(key) ? PACKED_KEY : key));
      return replaces ? { ...result, replaces: [...new Set(replaces)] } : result;
    },
    async create(inputs) {
      const given = unpacked(inputs);
      const result = await implementation.create(given.props);
      return { ...result, outs: repack(result.outs, given.packedKeys) };
    },
    async read(id, props) {
      const given = unpacked(props);
      const result = await implementation.read(id, given.props);
      return {
        ...result,
        props: repack(result.props, given.packedKeys),
        inputs: repack(result.inputs, given.packedKeys),
      };
    },
    async update(id, olds, news) {
      const fresh = unpacked(news);
      const result = await implementation.update(id, unpacked(olds).props, fresh.props);
      return { ...result, outs: repack(result.outs, fresh.packedKeys) };
    },
    delete: (id, props) => implementation.delete(id, unpacked(props).props),
  };
}
